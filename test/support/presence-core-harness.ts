// The runtime-neutral presence hub driven without sockets or real time: fake transports (whose queue can be
// made to fill up like a client that never reads), a manual clock, and timers that fire when the clock passes
// their due time.
import assert from 'node:assert/strict';
import type { CreateCallTokenOptions } from '../../server/core/call-token.js';
import type { PresenceConnection } from '../../server/core/presence-connection.js';
import { PresenceDirectory } from '../../server/core/presence-directory.js';
import { PresenceHub, type PresenceHubOptions } from '../../server/core/presence-hub.js';
import type { PresenceTransport } from '../../server/core/presence-transport.js';
import type { Schedule } from '../../server/core/schedule.js';
import { SessionRegistry } from '../../server/core/session-registry.js';
import { decodeServerMessage } from '../../src/protocol/codec.js';
import type { ServerMessage } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { ManualClock, testToken } from './presence-fixtures.js';
import { TEST_TOKEN_SECRET } from './test-secrets.js';

/**
 * A socket as the core sees it. `reading = false` models a client that never reads: every frame then stays in
 * `bufferedAmount` (what `ws` reports once the kernel's buffers are full), and none is delivered.
 */
export class FakeTransport implements PresenceTransport {
  readonly sent: ServerMessage[] = [];
  readonly closes: { code: number; reason: string }[] = [];
  reading = true;
  /** WebSocket pings the server sent; a live client's pong is `connection.touch()`. */
  pings = 0;
  #buffered: string[] = [];
  #bufferedBytes = 0;
  sentBytes = 0;

  get bufferedAmount(): number {
    return this.#bufferedBytes;
  }
  send(text: string): void {
    this.sentBytes += text.length;
    if (!this.reading) {
      this.#buffered.push(text);
      this.#bufferedBytes += text.length;
      return;
    }
    this.#deliver(text);
  }
  /** The client reads again: everything buffered is delivered. */
  drain(): void {
    this.reading = true;
    for (const text of this.#buffered.splice(0)) this.#deliver(text);
    this.#bufferedBytes = 0;
  }
  #deliver(text: string): void {
    const decoded = decodeServerMessage(text);
    assert.ok(decoded.ok, text);
    this.sent.push(decoded.message);
  }
  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
  }
  ping(): void {
    this.pings++;
  }
  get types(): string[] {
    return this.sent.map((m) => m.type);
  }
  get closeCodes(): number[] {
    return this.closes.map((c) => c.code);
  }
}

/** Timers on the manual clock: `advance()` moves the clock and fires what fell due, in order. */
export class ClockedSchedule {
  #timers: { due: number; callback: () => void }[] = [];
  constructor(readonly clock: ManualClock) {}
  readonly schedule: Schedule = (ms, callback) => {
    const timer = { due: this.clock.now() + ms, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  };
  /** Moves the clock by `ms` in steps of at most `stepMs`, firing timers as they fall due. */
  advance(ms: number, stepMs = ms): void {
    const end = this.clock.now() + ms;
    while (this.clock.now() < end) {
      this.clock.time = Math.min(end, this.clock.now() + stepMs);
      for (;;) {
        const due = this.#timers.filter((t) => t.due <= this.clock.now()).sort((a, b) => a.due - b.due)[0];
        if (!due) break;
        this.#timers = this.#timers.filter((t) => t !== due);
        due.callback();
      }
    }
  }
  get pending(): number {
    return this.#timers.length;
  }
}

export interface CoreHarness {
  readonly clock: ManualClock;
  readonly timers: ClockedSchedule;
  readonly sessions: SessionRegistry;
  readonly directory: PresenceDirectory;
  readonly hub: PresenceHub;
  token(userId: string, overrides?: Partial<CreateCallTokenOptions>): Promise<string>;
  /** Opens a socket and joins `userId` to room A; resolves after its hello. */
  join(
    userId: string,
    overrides?: Partial<CreateCallTokenOptions>,
  ): Promise<{ transport: FakeTransport; connection: PresenceConnection }>;
  /** Lets queued frames and flushes run (microtasks and promise jobs). */
  settle(): Promise<void>;
}

export function startCoreHarness(options: Partial<PresenceHubOptions> = {}): CoreHarness {
  const clock = new ManualClock();
  const timers = new ClockedSchedule(clock);
  const sessions = new SessionRegistry({ now: clock.now });
  const directory = new PresenceDirectory({ now: clock.now, sessions });
  const hub = new PresenceHub({
    directory,
    sessionOwners: sessions,
    tokenSecret: TEST_TOKEN_SECRET,
    now: clock.now,
    schedule: timers.schedule,
    ...options,
  });
  const token = (userId: string, overrides: Partial<CreateCallTokenOptions> = {}) =>
    testToken('A', userId, clock.now, overrides);
  // The hub flushes once per tick (a zero-delay timer); a later one fires after it.
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  return {
    clock,
    timers,
    sessions,
    directory,
    hub,
    token,
    settle,
    async join(userId, overrides = {}) {
      const transport = new FakeTransport();
      const connection = hub.open('A', transport);
      connection.receive(JSON.stringify({ v, type: 'join', token: await token(userId, overrides) }));
      await connection.idle;
      await settle();
      assert.equal(transport.types[0], 'hello', `${userId} joined`);
      return { transport, connection };
    },
  };
}
