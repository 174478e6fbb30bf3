// A Node presence server in a process of its own, so a load test can read its memory apart from the clients':
// prints its URL on stdout and runs until killed.
import { startPresenceCallServer } from './presence-call-server.js';

const server = await startPresenceCallServer({ presence: { sweepIntervalMs: 0 } });
console.log(server.url);
