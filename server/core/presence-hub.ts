// Every presence socket of one process (Node) or one room object (a Durable Object): hands out connection
// ids, delivers the state machine's effects to the right socket, and runs the heartbeat sweep.
import type { Clock } from './clock.js';
import { PresenceConnection, type JoinedAs, type PresenceConnectionHost } from './presence-connection.js';
import type { PresenceDirectory } from './presence-directory.js';
import type { ConnectionId, PresenceEffect } from './presence-effects.js';
import type { PresenceOutbox, PresenceOutboxOptions } from './presence-outbox.js';
import type { PresenceTransport } from './presence-transport.js';
import type { SessionOwner } from './session-registry.js';
import { systemSchedule, type Schedule } from './schedule.js';
import type { TokenBucketOptions } from './token-bucket.js';

/** Who created an SFU session, and each user's newest one (the proxy's SessionRegistry). */
export interface SessionOwnerIndex {
  ownerOf(sessionId: string): SessionOwner | undefined;
  latestSessionOf(owner: SessionOwner): string | undefined;
}

export interface PresenceHubOptions {
  readonly directory: PresenceDirectory;
  /** Lets `sessionGone()` find the participant behind an SFU session. */
  readonly sessionOwners?: SessionOwnerIndex;
  /** How long a participant whose SFU session is gone has to answer a ping. Default 5 s. */
  readonly sessionGoneProbeMs?: number;
  readonly tokenSecret: string;
  readonly now: Clock;
  /** Default: the global setTimeout. */
  readonly schedule?: Schedule;
  /** Close with 4401 if no valid `join` frame arrives in time. Default 10 s. */
  readonly joinTimeoutMs?: number;
  /** Frames per connection: burst and sustained rate. Default 40 at once, 20/s. Beyond it: close 1008. */
  readonly messageRate?: TokenBucketOptions;
  /**
   * Backpressure per socket: writes stop while the transport holds over 256 KiB; a socket that stays over it
   * for 10 s, or lets 1024 frames wait, is closed with 4429 (`slowReader`).
   */
  readonly outbox?: PresenceOutboxOptions;
}

export class PresenceHub {
  readonly #connections = new Map<ConnectionId, PresenceConnection>();
  readonly #host: PresenceConnectionHost;
  readonly #options: PresenceHubOptions;
  #lastId = 0;
  /** Outboxes with frames for this tick's flush, and that flush while it is pending. */
  readonly #dirty = new Set<PresenceOutbox>();
  #tick?: Promise<void>;

  constructor(options: PresenceHubOptions) {
    this.#options = options;
    const pendingFlush = () => this.#tick ?? Promise.resolve();
    this.#host = {
      directory: options.directory,
      deliver: (effects) => this.#deliver(effects),
      forget: (id) => this.#connections.delete(id),
      requestFlush: (outbox) => this.#requestFlush(outbox),
      get flushed() {
        return pendingFlush();
      },
    };
  }

  /**
   * A socket for `room` has been accepted (Origin and path already checked by the adapter). An adapter
   * whose sockets outlive the hub (a Durable Object's survive hibernation; the hub does not) names each
   * socket itself with `id`, and says with `joined` who a socket it hands back had joined as (its saved
   * `connection.joinedAs`), so the token's expiry and the refresh rule carry on across the wake.
   */
  open(
    room: string,
    transport: PresenceTransport,
    socket: { readonly id?: ConnectionId; readonly joined?: JoinedAs } = {},
  ): PresenceConnection {
    const id = socket.id ?? String(++this.#lastId);
    const connection = new PresenceConnection(id, room, transport, this.#host, {
      tokenSecret: this.#options.tokenSecret,
      now: this.#options.now,
      schedule: this.#options.schedule ?? systemSchedule,
      joinTimeoutMs: this.#options.joinTimeoutMs ?? 10_000,
      messageRate: this.#options.messageRate ?? { capacity: 40, refillPerSecond: 20 },
      alreadyJoined: socket.joined,
      outbox: this.#options.outbox,
    });
    this.#connections.set(connection.id, connection);
    return connection;
  }

  /** Removes participants silent for longer than the heartbeat timeout and closes their sockets. */
  sweep(): void {
    this.#deliver(this.#options.directory.sweep());
  }

  /**
   * The SFU dropped `sessionId` (its garbage collector said so, or it answered 404/410 for it). If that was its
   * creator's newest session and they are in the room, their socket gets a ping; no sign of life within
   * `sessionGoneProbeMs` removes them (close 4408, `participant-left` with reason `timeout`). A live tab
   * answers and keeps its place while its page makes a new session; a throttled tab whose session is alive
   * never gets here.
   */
  sessionGone(sessionId: string): void {
    const owners = this.#options.sessionOwners;
    const owner = owners?.ownerOf(sessionId);
    if (!owner || owners?.latestSessionOf(owner) !== sessionId) return;
    const connectionId = this.#options.directory.existing(owner.room)?.connectionOf(owner.userId);
    const connection = connectionId === undefined ? undefined : this.#connections.get(connectionId);
    if (!connection) return;
    const probeMs = this.#options.sessionGoneProbeMs ?? 5_000;
    const evict = (silentSince: number) => {
      const room = this.#options.directory.existing(owner.room);
      if (!room || owners?.latestSessionOf(owner) !== sessionId) return;
      this.#deliver(room.sessionLost(owner.userId, silentSince));
      this.#options.directory.releaseIfEmpty(owner.room);
    };
    const askedAt = this.#options.now();
    // Without pings, only a participant already silent for the probe time goes.
    if (!connection.ping()) return evict(askedAt - probeMs);
    (this.#options.schedule ?? systemSchedule)(probeMs, () => evict(askedAt));
  }

  /**
   * Carries out effects the adapter got from the directory itself rather than through a connection: the
   * countdown of breakout rooms restored from storage (`RoomPresence.restoreBreakouts`).
   */
  deliver(effects: readonly PresenceEffect[]): void {
    this.#deliver(effects);
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * One flush per tick for every socket: all frames that arrived in this task (one read can carry many) are
   * handled before anything is written, so a burst of state changes leaves one frame per participant.
   */
  #requestFlush(outbox: PresenceOutbox): void {
    this.#dirty.add(outbox);
    this.#tick ??= new Promise((resolve) => {
      setTimeout(() => {
        this.#tick = undefined;
        const dirty = [...this.#dirty];
        this.#dirty.clear();
        for (const each of dirty) each.flush();
        resolve();
      }, 0);
    });
  }

  /** A breakout countdown: the room decides when it runs whether its time is up. */
  #wakeLater(room: string, inMs: number): void {
    (this.#options.schedule ?? systemSchedule)(inMs, () => {
      const presence = this.#options.directory.existing(room);
      if (presence) this.#deliver(presence.wake());
    });
  }

  #deliver(effects: readonly PresenceEffect[]): void {
    for (const effect of effects) {
      if (effect.type === 'wake') {
        this.#wakeLater(effect.room, effect.inMs);
        continue;
      }
      if (effect.type === 'after') {
        (this.#options.schedule ?? systemSchedule)(effect.ms, () => this.#deliver(effect.run()));
        continue;
      }
      const connection = this.#connections.get(effect.to);
      if (!connection) continue;
      if (effect.type === 'send') connection.send(effect.message);
      else connection.close(effect.code, effect.reason);
    }
  }
}
