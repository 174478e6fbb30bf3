// Who a host removed from which room, and until when: the removed user's tokens for that room are refused by
// presence (close 4410) and by the SFU proxy (403 `removed`) until the last token they joined with expires.
// Tokens carry no id of their own, so the ban is by user and room.
import type { Clock } from './clock.js';

/** What the proxy asks before forwarding a call. */
export interface RemovalLookup {
  isRemoved(room: string, userId: string): boolean;
}

/** One ban: `userId` is refused in `room` until `untilMs` (ms since the epoch). */
export interface RemovalEntry {
  readonly room: string;
  readonly userId: string;
  readonly untilMs: number;
}

const keyOf = (room: string, userId: string) => JSON.stringify([room, userId]);

export class RemovalLedger implements RemovalLookup {
  /** Ban end (ms since the epoch) by room and user. */
  readonly #until = new Map<string, number>();

  constructor(
    private readonly now: Clock,
    /** Bans held at most; beyond it the ones ending soonest go first. */
    private readonly maxEntries = 10_000,
  ) {}

  /** Refuses `userId` in `room` until `untilMs` (a later ban extends an earlier one). */
  remove(room: string, userId: string, untilMs: number): void {
    const key = keyOf(room, userId);
    this.#until.set(key, Math.max(untilMs, this.#until.get(key) ?? 0));
    if (this.#until.size > this.maxEntries) this.#prune();
  }

  isRemoved(room: string, userId: string): boolean {
    const key = keyOf(room, userId);
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.#until.delete(key);
    return false;
  }

  /** How long `userId` stays refused in `room` (ms since the epoch); undefined when no ban runs. */
  until(room: string, userId: string): number | undefined {
    return this.isRemoved(room, userId) ? this.#until.get(keyOf(room, userId)) : undefined;
  }

  /** Bans still in force: what a runtime that can lose its memory saves. */
  entries(): RemovalEntry[] {
    const now = this.now();
    return [...this.#until]
      .filter(([, until]) => until > now)
      .map(([key, untilMs]) => {
        const [room, userId] = JSON.parse(key) as [string, string];
        return { room, userId, untilMs };
      });
  }

  /** Puts saved bans back after the runtime lost its memory; those that ended meanwhile are left out. */
  restore(entries: readonly RemovalEntry[]): void {
    const now = this.now();
    for (const { room, userId, untilMs } of entries) if (untilMs > now) this.remove(room, userId, untilMs);
  }

  get size(): number {
    return this.#until.size;
  }

  #prune(): void {
    const now = this.now();
    for (const [key, until] of this.#until) if (until <= now) this.#until.delete(key);
    const soonest = [...this.#until].sort((a, b) => a[1] - b[1]);
    while (this.#until.size > this.maxEntries) this.#until.delete(soonest.shift()![0]);
  }
}
