// Every presence socket of one process (Node) or one room object (a Durable Object): hands out connection
// ids, delivers the state machine's effects to the right socket, and runs the heartbeat sweep.
import type { Clock } from './clock.js';
import { PresenceConnection, type PresenceConnectionHost } from './presence-connection.js';
import type { PresenceDirectory } from './presence-directory.js';
import type { ConnectionId, PresenceEffect } from './presence-effects.js';
import type { PresenceOutbox, PresenceOutboxOptions } from './presence-outbox.js';
import type { PresenceTransport } from './presence-transport.js';
import { systemSchedule, type Schedule } from './schedule.js';
import type { TokenBucketOptions } from './token-bucket.js';

export interface PresenceHubOptions {
  readonly directory: PresenceDirectory;
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

  /** A socket for `room` has been accepted (Origin and path already checked by the adapter). */
  open(room: string, transport: PresenceTransport): PresenceConnection {
    const connection = new PresenceConnection(String(++this.#lastId), room, transport, this.#host, {
      tokenSecret: this.#options.tokenSecret,
      now: this.#options.now,
      schedule: this.#options.schedule ?? systemSchedule,
      joinTimeoutMs: this.#options.joinTimeoutMs ?? 10_000,
      messageRate: this.#options.messageRate ?? { capacity: 40, refillPerSecond: 20 },
      outbox: this.#options.outbox,
    });
    this.#connections.set(connection.id, connection);
    return connection;
  }

  /** Removes participants silent for longer than the heartbeat timeout and closes their sockets. */
  sweep(): void {
    this.#deliver(this.#options.directory.sweep());
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

  #deliver(effects: readonly PresenceEffect[]): void {
    for (const effect of effects) {
      const connection = this.#connections.get(effect.to);
      if (!connection) continue;
      if (effect.type === 'send') connection.send(effect.message);
      else connection.close(effect.code, effect.reason);
    }
  }
}
