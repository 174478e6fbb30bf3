// The proxy authorization suite against the Worker: every check about the caller's room goes to its Room
// object over RPC.
import { startPresenceWorker } from '../../support/worker-presence.js';
import { proxyConformance } from '../proxy-conformance.js';

proxyConformance('Workers', async ({ realtimeApiBaseUrl }) => {
  const worker = await startPresenceWorker({ vars: { CALLS_API_BASE_URL: realtimeApiBaseUrl } });
  return { url: worker.url, close: () => worker.close() };
});
