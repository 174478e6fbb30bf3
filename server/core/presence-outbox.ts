// What waits to go out on one presence socket. A client that never reads must not make the server's memory
// grow: frames are written only while the transport holds less than a cap (its `bufferedAmount`), what waits
// meanwhile is coalesced (a participant's latest state replaces the one still waiting), and a socket that
// stays over the cap, or lets too many frames pile up, is reported as a slow reader (the connection closes it
// with 4429). Frames go out in one flush per tick, so a burst of changes costs one frame per participant.
import { encodeMessage } from '../../src/protocol/codec.js';
import type { ServerMessage } from '../../src/protocol/schemas.js';
import type { Clock } from './clock.js';
import type { PresenceTransport } from './presence-transport.js';
import type { Schedule } from './schedule.js';

export interface PresenceOutboxOptions {
  /** Stop writing while the transport holds more than this many bytes. Default 256 KiB. */
  readonly maxBufferedBytes?: number;
  /** A socket that stays over the cap this long is a slow reader. Default 10 s. */
  readonly slowReaderGraceMs?: number;
  /** So is one with this many frames waiting (after coalescing), whatever the time. Default 1024. */
  readonly maxWaitingFrames?: number;
  /** How often a socket over the cap is looked at again. Default 250 ms. */
  readonly retryMs?: number;
}

interface Waiting {
  message: ServerMessage;
}

// A broadcast hands the same message object to every member's outbox: serialize it once.
const encoded = new WeakMap<ServerMessage, string>();
function encodeOnce(message: ServerMessage): string {
  let text = encoded.get(message);
  if (text === undefined) {
    text = encodeMessage(message);
    encoded.set(message, text);
  }
  return text;
}

export class PresenceOutbox {
  readonly #transport: PresenceTransport;
  readonly #now: Clock;
  readonly #schedule: Schedule;
  readonly #onSlowReader: () => void;
  readonly #maxBufferedBytes: number;
  readonly #graceMs: number;
  readonly #maxWaiting: number;
  readonly #retryMs: number;
  #waiting: Waiting[] = [];
  /** The participant-state frame still waiting for each participant: the next one replaces it. */
  readonly #stateOf = new Map<string, Waiting>();
  readonly #requestFlush: (outbox: PresenceOutbox) => void;
  #cancelRetry?: () => void;
  #overCapSince?: number;
  #closed = false;

  constructor(
    transport: PresenceTransport,
    options: PresenceOutboxOptions & {
      now: Clock;
      schedule: Schedule;
      onSlowReader: () => void;
      /** Asks for `flush()` at the end of this tick (the hub flushes every socket's outbox at once). */
      requestFlush: (outbox: PresenceOutbox) => void;
    },
  ) {
    this.#transport = transport;
    this.#now = options.now;
    this.#schedule = options.schedule;
    this.#onSlowReader = options.onSlowReader;
    this.#requestFlush = options.requestFlush;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 256 * 1024;
    this.#graceMs = options.slowReaderGraceMs ?? 10_000;
    this.#maxWaiting = options.maxWaitingFrames ?? 1024;
    this.#retryMs = options.retryMs ?? 250;
  }

  /** Frames waiting to be written (after coalescing). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Queues a frame; it goes out at the end of this tick, unless the socket is over its cap. */
  push(message: ServerMessage): void {
    if (this.#closed) return;
    if (message.type === 'participant-state') {
      const pending = this.#stateOf.get(message.participantId);
      if (pending) {
        pending.message = message; // the latest state wins, in the place of the first
        return;
      }
      const entry = { message };
      this.#stateOf.set(message.participantId, entry);
      this.#waiting.push(entry);
    } else {
      // A state frame must not overtake the join or leave it follows: later states queue behind this.
      if (message.type === 'participant-joined') this.#stateOf.delete(message.participant.id);
      if (message.type === 'participant-left') this.#stateOf.delete(message.participantId);
      this.#waiting.push({ message });
    }
    if (this.#waiting.length > this.#maxWaiting) return this.#slowReader();
    if (!this.#cancelRetry) this.#requestFlush(this);
  }

  /** Writes what waits, as far as the cap allows; reports a slow reader once the grace is over. */
  flush(): void {
    if (this.#closed) return;
    let written = 0;
    while (written < this.#waiting.length && !this.#overCap()) {
      const entry = this.#waiting[written++]!;
      const { message } = entry;
      if (message.type === 'participant-state' && this.#stateOf.get(message.participantId) === entry) {
        this.#stateOf.delete(message.participantId);
      }
      this.#transport.send(encodeOnce(message));
    }
    this.#waiting = written === this.#waiting.length ? [] : this.#waiting.slice(written);
    if (this.#waiting.length === 0) {
      this.#overCapSince = undefined;
      return;
    }
    this.#overCapSince ??= this.#now();
    if (this.#now() - this.#overCapSince >= this.#graceMs) return this.#slowReader();
    this.#cancelRetry ??= this.#schedule(this.#retryMs, () => {
      this.#cancelRetry = undefined;
      this.flush();
    });
  }

  /** Drops everything waiting and stops; later pushes are ignored. */
  close(): void {
    this.#closed = true;
    this.#waiting = [];
    this.#stateOf.clear();
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
  }

  #overCap(): boolean {
    return (this.#transport.bufferedAmount ?? 0) > this.#maxBufferedBytes;
  }

  #slowReader(): void {
    this.close();
    this.#onSlowReader();
  }
}
