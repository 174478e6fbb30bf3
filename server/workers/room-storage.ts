// A room object's SQLite storage: the roster with each member's publications, who a host removed and until
// when, the breakout rooms, who created which SFU session, and how often the object woke. Everything here survives hibernation, eviction and a restart; what lives only
// in memory (the presence hub, rate buckets) is rebuilt from it or starts afresh.
import type { BreakoutsSnapshot } from '../core/breakouts.js';
import type { RemovalEntry } from '../core/removal-ledger.js';
import type { MemberRecord } from '../core/room-presence.js';
import type { SessionStore } from '../core/proxy-room-state.js';
import type { SessionOwner } from '../core/session-registry.js';
import type { Clock } from '../core/clock.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS members (
     user_id TEXT PRIMARY KEY,
     connection_id TEXT NOT NULL,
     record TEXT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS sessions (
     session_id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     room TEXT NOT NULL,
     key_digest TEXT,
     created_at INTEGER NOT NULL
   )`,
  'CREATE INDEX IF NOT EXISTS sessions_by_owner ON sessions (user_id, created_at)',
  'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value NOT NULL)',
  `CREATE TABLE IF NOT EXISTS bans (
     room TEXT NOT NULL,
     user_id TEXT NOT NULL,
     until_ms INTEGER NOT NULL,
     PRIMARY KEY (room, user_id)
   )`,
  // One row at most: the breakout rooms of the object's room, as the core's snapshot.
  'CREATE TABLE IF NOT EXISTS breakouts (id INTEGER PRIMARY KEY CHECK (id = 1), snapshot TEXT NOT NULL)',
];

export interface RoomStorageOptions {
  readonly now: Clock;
  /** Forget a session this long after it was created. Default 24 h, as the Node registry. */
  readonly sessionTtlMs?: number;
  /** Oldest sessions of a user are forgotten beyond this many. Default 64, as the Node registry. */
  readonly maxSessionsPerUser?: number;
}

export class RoomStorage implements SessionStore {
  readonly #sql: SqlStorage;
  readonly #now: Clock;
  readonly #sessionTtlMs: number;
  readonly #maxSessionsPerUser: number;

  constructor(sql: SqlStorage, options: RoomStorageOptions) {
    this.#sql = sql;
    this.#now = options.now;
    this.#sessionTtlMs = options.sessionTtlMs ?? 24 * 60 * 60 * 1000;
    this.#maxSessionsPerUser = options.maxSessionsPerUser ?? 64;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  // ROSTER

  members(): MemberRecord[] {
    return this.#sql
      .exec<{ record: string }>('SELECT record FROM members')
      .toArray()
      .map((row) => JSON.parse(row.record) as MemberRecord);
  }

  /** Saves the member, or deletes them when they are gone. */
  saveMember(userId: string, record: MemberRecord | undefined): void {
    if (!record) {
      this.#sql.exec('DELETE FROM members WHERE user_id = ?', userId);
      return;
    }
    this.#sql.exec(
      `INSERT INTO members (user_id, connection_id, record) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET connection_id = excluded.connection_id, record = excluded.record`,
      userId,
      record.connectionId,
      JSON.stringify(record),
    );
  }

  // HOST REMOVALS AND BREAKOUT ROOMS

  /** Bans still in force (clock ms, the presence clock's). */
  bans(): RemovalEntry[] {
    return this.#sql
      .exec<{ room: string; user_id: string; until_ms: number }>(
        'SELECT room, user_id, until_ms FROM bans WHERE until_ms > ?',
        this.#now(),
      )
      .toArray()
      .map((row) => ({ room: row.room, userId: row.user_id, untilMs: row.until_ms }));
  }

  /** Saves a ban; a later end replaces an earlier one, as in the ledger. */
  saveBan(ban: RemovalEntry): void {
    this.#sql.exec(
      `INSERT INTO bans (room, user_id, until_ms) VALUES (?, ?, ?)
       ON CONFLICT (room, user_id) DO UPDATE SET until_ms = max(until_ms, excluded.until_ms)`,
      ban.room,
      ban.userId,
      ban.untilMs,
    );
  }

  /** Deletes bans that have ended (the alarm calls it). */
  forgetEndedBans(): void {
    this.#sql.exec('DELETE FROM bans WHERE until_ms <= ?', this.#now());
  }

  breakouts(): BreakoutsSnapshot | undefined {
    const row = this.#sql.exec<{ snapshot: string }>('SELECT snapshot FROM breakouts').toArray()[0];
    return row ? (JSON.parse(row.snapshot) as BreakoutsSnapshot) : undefined;
  }

  /** Saves the breakout rooms, or deletes them when there are none. */
  saveBreakouts(snapshot: BreakoutsSnapshot | undefined): void {
    if (!snapshot) {
      this.#sql.exec('DELETE FROM breakouts');
      return;
    }
    this.#sql.exec(
      `INSERT INTO breakouts (id, snapshot) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot`,
      JSON.stringify(snapshot),
    );
  }

  // SESSION OWNERSHIP (the same rules as SessionRegistry, in SQLite)

  record(sessionId: string, owner: SessionOwner, keyDigest?: string): void {
    this.#sql.exec(
      `INSERT INTO sessions (session_id, user_id, room, key_digest, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (session_id) DO NOTHING`,
      sessionId,
      owner.userId,
      owner.room,
      keyDigest ?? null,
      this.#now(),
    );
    this.#sql.exec(
      `DELETE FROM sessions WHERE user_id = ? AND room = ? AND session_id NOT IN (
         SELECT session_id FROM sessions WHERE user_id = ? AND room = ? ORDER BY created_at DESC LIMIT ?)`,
      owner.userId,
      owner.room,
      owner.userId,
      owner.room,
      this.#maxSessionsPerUser,
    );
  }

  ownerOf(sessionId: string): SessionOwner | undefined {
    const row = this.#session(sessionId);
    return row ? { userId: row.user_id, room: row.room } : undefined;
  }

  isOwnedBy(sessionId: string, owner: SessionOwner): boolean {
    const row = this.#session(sessionId);
    return row !== undefined && row.user_id === owner.userId && row.room === owner.room;
  }

  keyDigestOf(sessionId: string): string | undefined {
    return this.#session(sessionId)?.key_digest ?? undefined;
  }

  /** Deletes sessions older than their time to live (the alarm calls it). */
  forgetExpiredSessions(): void {
    this.#sql.exec('DELETE FROM sessions WHERE created_at < ?', this.#now() - this.#sessionTtlMs);
  }

  // BOOKKEEPING

  /** Counts one more start of the object (construction after creation, hibernation, eviction or restart). */
  countWake(at: number): void {
    this.#sql.exec(
      `INSERT INTO meta (key, value) VALUES ('wakes', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1`,
    );
    this.#sql.exec(
      `INSERT INTO meta (key, value) VALUES ('woke_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      at,
    );
  }

  meta(key: 'wakes' | 'woke_at'): number {
    const row = this.#sql.exec<{ value: number }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0];
    return row?.value ?? 0;
  }

  /** The room's name, kept from the first request: an alarm or a wake-up carries none. */
  get roomName(): string | undefined {
    const row = this.#sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'room'`).toArray()[0];
    return row?.value;
  }

  set roomName(name: string) {
    this.#sql.exec(`INSERT INTO meta (key, value) VALUES ('room', ?) ON CONFLICT (key) DO NOTHING`, name);
  }

  #session(
    sessionId: string,
  ): { user_id: string; room: string; key_digest: string | null; created_at: number } | undefined {
    const row = this.#sql
      .exec<{ user_id: string; room: string; key_digest: string | null; created_at: number }>(
        'SELECT user_id, room, key_digest, created_at FROM sessions WHERE session_id = ?',
        sessionId,
      )
      .toArray()[0];
    if (!row || this.#now() - row.created_at > this.#sessionTtlMs) return undefined;
    return row;
  }
}
