// Child-process entry for the fault suite: the call server on a fixed port, as `npm start` runs it (serving demo/
// and dist/, with the demo token endpoint), in front of the SFU child, and its heap over the IPC channel.
// Usage: fork('test/support/fault-call-server-process.ts', [port, sfuBaseUrl]).
import { startCallServer } from '../../server/node/call-server.js';
import { repoRoot } from './bundle-page.js';
import { heapAfterGc, type ChildReply, type ChildRequest } from './fault-child-messages.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from './test-secrets.js';

const port = Number(process.argv[2]);
const sfuBaseUrl = process.argv[3];
const server = await startCallServer({
  port,
  tokenSecret: TEST_TOKEN_SECRET,
  demoTokenEndpoint: true,
  upstream: {
    appId: TEST_SFU_APP_ID,
    appSecret: TEST_SFU_APP_SECRET,
    realtimeApiBaseUrl: `${sfuBaseUrl}/v1`,
    staticIceServers: [], // loopback only
  },
  staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
});

process.on('message', (request: ChildRequest) => {
  if (request.type !== 'heap') return;
  process.send?.({ id: request.id, type: 'heap', heapUsed: heapAfterGc() } satisfies ChildReply);
});
const exit = () => void server.close().finally(() => process.exit(0));
process.on('disconnect', exit);
process.once('SIGTERM', exit);

process.send?.({ id: 0, type: 'ready', baseUrl: `http://127.0.0.1:${port}` } satisfies ChildReply);
