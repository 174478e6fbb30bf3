// Public entry of the local SFU: a Cloudflare Realtime SFU look-alike for offline development and tests.
export { startLocalSfu, DEFAULT_SFU_PORT, type LocalSfu, type LocalSfuOptions } from './node-server.js';
export { createSfuHandler, type ApiOptions } from './http-api.js';
export { LocalSfuState, type SfuStats } from './sfu.js';
