// Every presence socket of one process (Node) or one room object (a Durable Object): hands out connection
// ids, delivers the state machine's effects to the right socket, and runs the heartbeat sweep.
import type { Clock } from './clock.js';
import { PresenceConnection, type PresenceConnectionHost } from './presence-connection.js';
import type { PresenceDirectory } from './presence-directory.js';
import type { ConnectionId, PresenceEffect } from './presence-effects.js';
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
}

export class PresenceHub {
  readonly #connections = new Map<ConnectionId, PresenceConnection>();
  readonly #host: PresenceConnectionHost;
  readonly #options: PresenceHubOptions;
  #lastId = 0;

  constructor(options: PresenceHubOptions) {
    this.#options = options;
    this.#host = {
      directory: options.directory,
      deliver: (effects) => this.#deliver(effects),
      forget: (id) => this.#connections.delete(id),
    };
  }

  /**
   * A socket for `room` has been accepted (Origin and path already checked by the adapter). An adapter
   * whose sockets outlive the hub (a Durable Object's survive hibernation; the hub does not) names each
   * socket itself with `id`, and says with `joined` that a socket it hands back had already joined.
   */
  open(
    room: string,
    transport: PresenceTransport,
    socket: { readonly id?: ConnectionId; readonly joined?: boolean } = {},
  ): PresenceConnection {
    const id = socket.id ?? String(++this.#lastId);
    const connection = new PresenceConnection(id, room, transport, this.#host, {
      tokenSecret: this.#options.tokenSecret,
      now: this.#options.now,
      schedule: this.#options.schedule ?? systemSchedule,
      joinTimeoutMs: this.#options.joinTimeoutMs ?? 10_000,
      messageRate: this.#options.messageRate ?? { capacity: 40, refillPerSecond: 20 },
      alreadyJoined: socket.joined ?? false,
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

  #deliver(effects: readonly PresenceEffect[]): void {
    for (const effect of effects) {
      const connection = this.#connections.get(effect.to);
      if (!connection) continue;
      if (effect.type === 'send') connection.send(effect.message);
      else connection.close(effect.code, effect.reason);
    }
  }
}
