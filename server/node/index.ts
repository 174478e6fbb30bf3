// `call-elements/server/node`: the call server on Node (HTTP routes, presence socket, and the local SFU when no
// Cloudflare credentials are given), to run it from the npm package. The `call-elements-server` bin does the
// same from environment variables. Token helpers for a site's backend, on any runtime: `call-elements/server`.
export { startCallServer, type CallServer, type CallServerOptions } from './call-server.js';
export { readDevStackConfig, DEFAULT_PORT, type DevStackConfig, type SfuChoice } from './config.js';
export { startDevStack, type DevStack, type DevStackOverrides } from './dev-stack.js';
export type { StaticRoots } from './static-files.js';
export {
  CLOUDFLARE_REALTIME_API,
  CLOUDFLARE_STUN,
  type IceServer,
  type SfuUpstream,
} from '../http/sfu-upstream.js';
