// Which user, in which room, created each SFU session. partytracks never closes sessions (a reconnect just
// creates a new one), so entries expire and are capped rather than removed on close.
import type { Clock } from './clock.js';

export interface SessionOwner {
  readonly userId: string;
  readonly room: string;
}

export interface SessionRegistryOptions {
  readonly now: Clock;
  /** Forget a session this long after it was created. Default 24 h (longer than any token; as long as its lock cookie). */
  readonly ttlMs?: number;
  /** Oldest sessions of a user are forgotten beyond this many. Default 64. */
  readonly maxSessionsPerUser?: number;
  /** Hard cap over all users. Default 100 000. */
  readonly maxSessions?: number;
}

interface Entry extends SessionOwner {
  readonly createdAt: number;
  readonly keyDigest?: string;
}

const ownerKey = (owner: SessionOwner) => JSON.stringify([owner.room, owner.userId]);

export class SessionRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #byOwner = new Map<string, string[]>();
  readonly #now: Clock;
  readonly #ttlMs: number;
  readonly #maxPerUser: number;
  readonly #max: number;

  constructor(options: SessionRegistryOptions) {
    this.#now = options.now;
    this.#ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.#maxPerUser = options.maxSessionsPerUser ?? 64;
    this.#max = options.maxSessions ?? 100_000;
  }

  /**
   * Records the creator of a new session, and the digest of the session key its page sent, if any. A session
   * id is never re-assigned to someone else.
   */
  record(sessionId: string, owner: SessionOwner, keyDigest?: string): void {
    if (this.#entries.has(sessionId)) return;
    const entry: Entry = {
      userId: owner.userId,
      room: owner.room,
      createdAt: this.#now(),
      ...(keyDigest && { keyDigest }),
    };
    this.#entries.set(sessionId, entry);
    const key = ownerKey(owner);
    const list = this.#byOwner.get(key) ?? [];
    list.push(sessionId);
    this.#byOwner.set(key, list);
    while (list.length > this.#maxPerUser) this.#forget(list[0]!);
    while (this.#entries.size > this.#max) this.#forget(this.#entries.keys().next().value!);
  }

  /** The creator, or undefined for unknown and expired sessions. */
  ownerOf(sessionId: string): SessionOwner | undefined {
    const entry = this.#entries.get(sessionId);
    if (!entry) return undefined;
    if (this.#now() - entry.createdAt > this.#ttlMs) {
      this.#forget(sessionId);
      return undefined;
    }
    return entry;
  }

  /** The digest of the session key the session was created with; undefined without one. */
  keyDigestOf(sessionId: string): string | undefined {
    return this.ownerOf(sessionId) && this.#entries.get(sessionId)?.keyDigest;
  }

  /** The newest live session this user created in this room: the one their page uses now. */
  latestSessionOf(owner: SessionOwner): string | undefined {
    const list = this.#byOwner.get(ownerKey(owner));
    const latest = list?.at(-1);
    return latest !== undefined && this.ownerOf(latest) ? latest : undefined;
  }

  /** True only if this exact user created the session in this exact room. */
  isOwnedBy(sessionId: string, owner: SessionOwner): boolean {
    const entry = this.ownerOf(sessionId);
    return entry !== undefined && entry.userId === owner.userId && entry.room === owner.room;
  }

  get size(): number {
    return this.#entries.size;
  }

  #forget(sessionId: string): void {
    const entry = this.#entries.get(sessionId);
    if (!entry) return;
    this.#entries.delete(sessionId);
    const key = ownerKey(entry);
    const list = this.#byOwner.get(key);
    if (!list) return;
    const index = list.indexOf(sessionId);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.#byOwner.delete(key);
  }
}
