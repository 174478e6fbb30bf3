// Messages per second through one presence room, the same way on every runtime: `participants` sockets join,
// then each sends `update-state` frames at `perSecond` (under the per-socket rate cap) for `seconds`, raising and
// lowering its hand; the room broadcasts each change to every member. A socket's outbox coalesces the state
// changes of one participant that wait for the same flush (the latest wins), so what is checked is that every
// socket ends up seeing every participant's last state, and what is measured, from the first frame sent until
// then: frames the room took in per second, broadcast frames it wrote per second, and how long the end lagged.
import WebSocket from 'ws';
import { encodeMessage } from '../../src/protocol/codec.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { testToken } from './presence-fixtures.js';

export interface ThroughputOptions {
  readonly room: string;
  readonly participants: number;
  /** Frames per second per socket; the server's cap is 20/s sustained. */
  readonly perSecond: number;
  readonly seconds: number;
}

export interface ThroughputResult {
  readonly sent: number;
  /** Broadcast frames written to all sockets (one per member per change, fewer where coalesced). */
  readonly delivered: number;
  /** Sockets that saw every participant's last state. */
  readonly converged: number;
  /** Frames the room handled per second, and broadcast frames it wrote per second. */
  readonly inboundPerSecond: number;
  readonly deliveredPerSecond: number;
  /** From the last frame sent until every socket saw every last state. */
  readonly drainMs: number;
}

export async function measureRoomThroughput(
  url: string,
  options: ThroughputOptions,
): Promise<ThroughputResult> {
  const sockets: WebSocket[] = [];
  /** What each socket last heard of each participant's hand. */
  const views: Map<string, boolean | undefined>[] = [];
  let delivered = 0;
  try {
    for (let i = 0; i < options.participants; i++) {
      const token = await testToken(options.room, `sender-${i}`, Date.now);
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/rooms/${options.room}`, { origin: url });
      sockets.push(ws);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => ws.send(encodeMessage({ v, type: 'join', token })));
        ws.once('message', () => resolve()); // hello
        ws.once('error', reject);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // the joins' broadcasts drain first
    for (const ws of sockets) {
      const view = new Map<string, boolean | undefined>();
      views.push(view);
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          type: string;
          participantId?: string;
          state?: { handRaised?: boolean };
        };
        if (message.type !== 'participant-state' || message.participantId === undefined) return;
        delivered++;
        view.set(message.participantId, message.state?.handRaised);
      });
    }

    const frames = Math.round(options.perSecond * options.seconds);
    const finalHand = (frames - 1) % 2 === 0;
    const convergedCount = () =>
      views.filter((view) => sockets.every((_, i) => view.get(`sender-${i}`) === finalHand)).length;
    const startedAt = performance.now();
    let sent = 0;
    await Promise.all(
      sockets.map(async (ws, i) => {
        // Spread the senders over one interval, so the room sees a steady rate rather than bursts.
        const interval = 1000 / options.perSecond;
        await new Promise((resolve) => setTimeout(resolve, (interval * i) / sockets.length));
        for (let n = 0; n < frames; n++) {
          ws.send(encodeMessage({ v, type: 'update-state', state: { handRaised: n % 2 === 0 } }));
          sent++;
          const due = startedAt + (n + 1) * interval + (interval * i) / sockets.length;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        }
      }),
    );
    const lastSentAt = performance.now();
    const deadline = Date.now() + 30_000;
    while (convergedCount() < sockets.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const endedAt = performance.now();
    const elapsedS = (endedAt - startedAt) / 1000;
    return {
      sent,
      delivered,
      converged: convergedCount(),
      inboundPerSecond: sent / elapsedS,
      deliveredPerSecond: delivered / elapsedS,
      drainMs: endedAt - lastSentAt,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

export function throughputSummary(runtime: string, options: ThroughputOptions, r: ThroughputResult): string {
  return (
    `${runtime.padEnd(8)} ${options.participants} sockets × ${options.perSecond}/s: ` +
    `${r.inboundPerSecond.toFixed(0)} frames/s in, ${r.deliveredPerSecond.toFixed(0)} broadcast frames/s out ` +
    `(${((100 * r.delivered) / (r.sent * options.participants)).toFixed(0)}% of changes sent, the rest coalesced; ` +
    `all ${r.converged} sockets current ${r.drainMs.toFixed(0)} ms after the last send)`
  );
}
