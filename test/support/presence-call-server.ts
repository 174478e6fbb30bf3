// The Node call server as presence tests need it: test secrets, and an SFU upstream nothing listens on.
import { startCallServer, type CallServer, type CallServerOptions } from '../../server/node/call-server.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from './test-secrets.js';

export function startPresenceCallServer(options: Partial<CallServerOptions> = {}): Promise<CallServer> {
  return startCallServer({
    port: 0,
    tokenSecret: TEST_TOKEN_SECRET,
    upstream: {
      appId: TEST_SFU_APP_ID,
      appSecret: TEST_SFU_APP_SECRET,
      realtimeApiBaseUrl: 'http://127.0.0.1:9/v1',
      staticIceServers: [],
    },
    ...options,
  });
}
