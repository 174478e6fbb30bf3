// A Node presence server in a process of its own, so a load test can read its memory apart from the clients':
// prints its URL on stdout and runs until killed.
import { startPresenceCallServer } from './presence-call-server.js';

// Every load client comes from 127.0.0.1: lift the per-address cap on sockets that have not joined yet.
const server = await startPresenceCallServer({
  presence: { sweepIntervalMs: 0, maxUnauthenticatedPerAddress: 10_000 },
});
console.log(server.url);
