// The proxy authorization suite against the Node call server.
import { startPresenceCallServer } from '../../support/presence-call-server.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET } from '../../support/test-secrets.js';
import { proxyConformance } from '../proxy-conformance.js';

proxyConformance('Node', async ({ realtimeApiBaseUrl }) => {
  const server = await startPresenceCallServer({
    upstream: {
      appId: TEST_SFU_APP_ID,
      appSecret: TEST_SFU_APP_SECRET,
      realtimeApiBaseUrl,
      staticIceServers: [],
    },
  });
  return { url: server.url, close: () => server.close() };
});
