// `npm run bench -- presence`: messages per second through one presence room, Node next to the Worker (one Room
// Durable Object in workerd), with the same client load (test/support/presence-throughput.ts): N sockets join one
// room and each sends `update-state` at 16/s (the server caps a socket at 20/s) for 5 s; every frame is broadcast
// to the N-1 others. Prints, per runtime and room size, frames handled per second, broadcasts delivered per
// second, and how far delivery lagged behind the last send. The Node server runs in a process of its own, like
// workerd, so neither shares the clients' CPU.
//
// Env: PRESENCE_BENCH_SIZES (default 10,25,50), PRESENCE_BENCH_SECONDS (default 5), PRESENCE_BENCH_RATE (16),
// PRESENCE_BENCH_RUNTIMES (default Node,Workers).
import {
  measureRoomThroughput,
  throughputSummary,
  type ThroughputOptions,
} from '../test/support/presence-throughput.js';
import { startPresenceWorker } from '../test/support/worker-presence.js';
import { withNodePresenceServer } from '../test/support/node-presence-server.js';

const SIZES = (process.env.PRESENCE_BENCH_SIZES ?? '10,25,50').split(',').map(Number);
const SECONDS = Number(process.env.PRESENCE_BENCH_SECONDS ?? 5);
const RATE = Number(process.env.PRESENCE_BENCH_RATE ?? 16);
const RUNTIMES = (process.env.PRESENCE_BENCH_RUNTIMES ?? 'Node,Workers').split(',');

async function withWorker<T>(run: (url: string) => Promise<T>): Promise<T> {
  const worker = await startPresenceWorker();
  try {
    return await run(worker.url);
  } finally {
    await worker.close();
  }
}

const lines: string[] = [];
for (const participants of SIZES) {
  for (const [runtime, start] of [
    ['Node', withNodePresenceServer],
    ['Workers', withWorker],
  ] as const) {
    if (!RUNTIMES.includes(runtime)) continue;
    const options: ThroughputOptions = {
      room: `bench-${participants}`,
      participants,
      perSecond: RATE,
      seconds: SECONDS,
    };
    const result = await start((url) => measureRoomThroughput(url, options));
    const line = throughputSummary(runtime, options, result);
    console.log(line);
    lines.push(line);
  }
}
console.log(['', 'messages per second per room:', ...lines].join('\n'));
