// One presence socket, whatever the runtime: the join-first rule, the protocol version, the room token, the
// join timeout, the frame rate and size caps, and frames handled strictly in order. The adapter feeds it
// frames and socket events; everything it says goes out through a PresenceTransport.
import { PresenceCloseCode } from '../../src/protocol/close-codes.js';
import { decodeClientMessage, type DecodeResult } from '../../src/protocol/codec.js';
import { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import { MAX_FRAME_BYTES } from '../../src/protocol/limits.js';
import type {
  ClientMessage,
  ClientMessageOf,
  ParticipantBadge,
  ServerMessage,
} from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import {
  CLOCK_TOLERANCE_SECONDS,
  CallTokenError,
  verifyCallToken,
  type CallTokenClaims,
} from './call-token.js';
import type { Clock } from './clock.js';
import type { PresenceDirectory } from './presence-directory.js';
import type { ConnectionId, PresenceEffect } from './presence-effects.js';
import { PresenceOutbox, type PresenceOutboxOptions } from './presence-outbox.js';
import type { PresenceFrame, PresenceTransport } from './presence-transport.js';
import type { Schedule } from './schedule.js';
import { TokenBucket, type TokenBucketOptions } from './token-bucket.js';

export interface PresenceConnectionOptions {
  readonly tokenSecret: string;
  readonly now: Clock;
  readonly schedule: Schedule;
  /** Close with 4401 if no valid `join` frame arrives in time. */
  readonly joinTimeoutMs: number;
  /** Frames per connection: burst and sustained rate. Beyond it: close 1008. */
  readonly messageRate: TokenBucketOptions;
  /**
   * The socket joined before the runtime lost its memory (a Durable Object woke from hibernation): no join
   * frame is expected again, and the token's deadline and user carry on from what the adapter saved.
   */
  readonly alreadyJoined?: JoinedAs;
  /** What may wait for a socket that reads slowly, and when it is closed with 4429. */
  readonly outbox?: PresenceOutboxOptions;
}

/** What a connection needs from the hub that holds all of them: the rooms, and delivery to the others. */
export interface PresenceConnectionHost {
  readonly directory: PresenceDirectory;
  deliver(effects: readonly PresenceEffect[]): void;
  forget(id: ConnectionId): void;
  /** Flushes `outbox` at the end of this tick, with every other socket's. */
  requestFlush(outbox: PresenceOutbox): void;
  /** Resolves once the flush of this tick (if any) has run. */
  readonly flushed: Promise<void>;
}

/** Who a joined socket is, as an adapter saves it to restore the connection after losing its memory. */
export interface JoinedAs {
  readonly userId: string;
  /** The token's `exp` in seconds since the epoch (moved by each refresh). */
  readonly expiresAt: number;
}

const BINARY_REFUSED: DecodeResult<ClientMessage> = {
  ok: false,
  code: PresenceErrorCode.badRequest,
  reason: 'binary frames are not accepted',
};

export class PresenceConnection {
  readonly #transport: PresenceTransport;
  readonly #host: PresenceConnectionHost;
  readonly #options: PresenceConnectionOptions;
  readonly #rate: TokenBucket;
  readonly #outbox: PresenceOutbox;
  readonly #cancelJoinTimeout: () => void;
  #cancelExpiry: () => void = () => undefined;
  /** Who joined, until when; a refresh must name the same user and room. */
  #joinedAs?: JoinedAs;
  #joined = false;
  /** Set once the socket is closing or closed: later frames are dropped unread. */
  #closed = false;
  #ended = false;
  /** Frames are handled one at a time, in order, even though `join` awaits token verification. */
  #queue: Promise<void> = Promise.resolve();

  constructor(
    readonly id: ConnectionId,
    readonly room: string,
    transport: PresenceTransport,
    host: PresenceConnectionHost,
    options: PresenceConnectionOptions,
  ) {
    this.#transport = transport;
    this.#host = host;
    this.#options = options;
    this.#rate = new TokenBucket(options.messageRate, options.now);
    this.#joinedAs = options.alreadyJoined;
    this.#joined = this.#joinedAs !== undefined;
    this.#outbox = new PresenceOutbox(transport, {
      ...options.outbox,
      now: options.now,
      schedule: options.schedule,
      onSlowReader: () => this.close(PresenceCloseCode.slowReader, 'frames were not read in time'),
      requestFlush: (outbox) => host.requestFlush(outbox),
    });
    this.#cancelJoinTimeout = this.#joined
      ? () => undefined
      : options.schedule(options.joinTimeoutMs, () => {
          if (!this.#joined) this.close(PresenceCloseCode.unauthorized, 'no join frame in time');
        });
    if (this.#joinedAs) this.#armExpiry(this.#joinedAs.expiresAt);
  }

  /** Who joined on this socket and until when (undefined before the join); changes with each refresh. */
  get joinedAs(): JoinedAs | undefined {
    return this.#joinedAs;
  }

  get joined(): boolean {
    return this.#joined;
  }

  /**
   * Resolves once every frame received so far has been handled (join awaits token verification) and what
   * that sent has been flushed.
   */
  get idle(): Promise<void> {
    return this.#queue.then(() => this.#host.flushed);
  }

  /** A frame from the client. */
  receive(frame: PresenceFrame): void {
    if (this.#closed) return;
    if (isOversized(frame)) return this.close(PresenceCloseCode.frameTooBig, 'frame too big');
    if (!this.#rate.take().ok) return this.close(PresenceCloseCode.rateLimited, 'too many messages');
    this.#queue = this.#queue
      .then(() => this.#handle(frame))
      .catch(() => {
        // Never a stack trace to the client; the room carries on.
        this.close(PresenceCloseCode.internalError, 'internal error');
      });
  }

  /** Asks the client for a sign of life (a WebSocket ping); false when the transport can't. */
  ping(): boolean {
    if (this.#closed || !this.#transport.ping) return false;
    this.#transport.ping();
    return true;
  }

  /** A sign of life below the protocol (a WebSocket pong, which background tabs still send). */
  touch(): void {
    if (this.#joined) this.#host.directory.room(this.room).touch(this.id);
  }

  /**
   * The socket answered no WebSocket ping for too long (see `RoomPresence.unresponsive`): a joined participant
   * times out at once rather than after the heartbeat timeout. The adapter then drops the socket.
   */
  unresponsive(): void {
    if (this.#closed || !this.#joined) return;
    this.#host.deliver(this.#host.directory.room(this.room).unresponsive(this.id));
  }

  /** The socket is gone, whoever closed it. Safe to call more than once. */
  ended(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#closed = true;
    this.#cancelJoinTimeout();
    this.#cancelExpiry();
    this.#outbox.close();
    this.#host.forget(this.id);
    if (!this.#joined) return;
    this.#host.deliver(this.#host.directory.room(this.room).disconnect(this.id));
    this.#host.directory.releaseIfEmpty(this.room);
  }

  /** Queues a frame for this socket (written at the end of the tick; see PresenceOutbox). */
  send(message: ServerMessage): void {
    if (!this.#closed) this.#outbox.push(message);
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    // What waits goes out before the close frame, unless the reader is too slow to take it.
    if (code !== PresenceCloseCode.slowReader) this.#outbox.flush();
    this.#outbox.close();
    this.#transport.close(code, reason);
  }

  async #handle(frame: PresenceFrame): Promise<void> {
    if (this.#closed) return;
    const decoded = typeof frame === 'string' ? decodeClientMessage(frame) : BINARY_REFUSED;
    if (!this.#joined) {
      if (!decoded.ok && decoded.code === PresenceErrorCode.unsupportedVersion) {
        return this.close(PresenceCloseCode.protocolError, decoded.reason);
      }
      if (!decoded.ok || decoded.message.type !== 'join') {
        return this.close(PresenceCloseCode.unauthorized, 'the first frame must be a join with a room token');
      }
      return this.#join(decoded.message);
    }
    if (!decoded.ok) return this.#sendError(decoded.code, decoded.reason);
    if (decoded.message.type === 'join')
      return this.#sendError(PresenceErrorCode.notJoined, 'already joined');
    if (decoded.message.type === 'refresh') return this.#refresh(decoded.message.token);
    this.#host.deliver(this.#host.directory.room(this.room).receive(this.id, decoded.message));
  }

  async #join(message: ClientMessageOf<'join'>): Promise<void> {
    let claims;
    try {
      claims = await verifyCallToken(message.token, {
        secret: this.#options.tokenSecret,
        room: this.room,
        now: this.#options.now,
      });
    } catch (error) {
      return this.close(...tokenRefusal(error));
    }
    if (this.#closed) return;
    this.#joined = true;
    this.#joinedAs = { userId: claims.userId, expiresAt: claims.expiresAt };
    this.#cancelJoinTimeout();
    this.#armExpiry(claims.expiresAt);
    this.#transport.joined?.();
    this.#host.deliver(this.#host.directory.room(this.room).join(this.id, claims));
  }

  /**
   * Joins without a join frame: for a participant the server adds itself (a WHIP stream), whose token the
   * caller has already verified. Later frames (publish, update-state) then go through `receive` as usual.
   */
  admit(claims: CallTokenClaims, badge?: ParticipantBadge): void {
    if (this.#joined || this.#closed) return;
    this.#joined = true;
    this.#cancelJoinTimeout();
    this.#host.deliver(this.#host.directory.room(this.room).join(this.id, claims, badge));
  }

  /** A fresh token for the same user and room moves the close-at-expiry deadline. */
  async #refresh(token: string): Promise<void> {
    let claims: CallTokenClaims;
    try {
      claims = await verifyCallToken(token, {
        secret: this.#options.tokenSecret,
        now: this.#options.now,
      });
    } catch {
      return this.#sendError(PresenceErrorCode.invalidToken, 'the refresh token is not valid');
    }
    if (this.#closed) return;
    if (claims.userId !== this.#joinedAs?.userId || claims.room !== this.room) {
      return this.#sendError(PresenceErrorCode.forbidden, 'a refresh must be for the same user and room');
    }
    this.#joinedAs = { userId: claims.userId, expiresAt: claims.expiresAt };
    this.#armExpiry(claims.expiresAt);
    this.#host.directory.room(this.room).tokenRefreshed(this.id, claims.expiresAt);
    this.send({ v: PROTOCOL_VERSION, type: 'refreshed', expiresAt: claims.expiresAt * 1000 });
  }

  /** Closes with 4440 once the token is past `exp` plus the tolerance every verification allows. */
  #armExpiry(expiresAtSeconds: number): void {
    this.#cancelExpiry();
    const deadline = (expiresAtSeconds + CLOCK_TOLERANCE_SECONDS) * 1000;
    this.#cancelExpiry = this.#options.schedule(Math.max(0, deadline - this.#options.now()), () =>
      this.close(PresenceCloseCode.tokenExpired, 'the room token expired; reconnect with a fresh one'),
    );
  }

  #sendError(code: PresenceErrorCode, message: string): void {
    this.send({ v: PROTOCOL_VERSION, type: 'error', code, message });
  }
}

/** A valid token for another room is 4403; anything else wrong with it is 4401 (get a new token). */
function tokenRefusal(error: unknown): [code: PresenceCloseCode, reason: string] {
  if (!(error instanceof CallTokenError)) return [PresenceCloseCode.unauthorized, 'invalid token'];
  const code = error.code === 'room-mismatch' ? PresenceCloseCode.forbidden : PresenceCloseCode.unauthorized;
  return [code, error.message];
}

// Node's `ws` refuses these before they reach us; a Durable Object's socket does not.
function isOversized(frame: PresenceFrame): boolean {
  if (typeof frame !== 'string') return frame.byteLength > MAX_FRAME_BYTES;
  // UTF-8 needs at least one byte and at most three per UTF-16 unit: encode only when it could matter.
  if (frame.length > MAX_FRAME_BYTES) return true;
  if (frame.length * 3 <= MAX_FRAME_BYTES) return false;
  return new TextEncoder().encode(frame).byteLength > MAX_FRAME_BYTES;
}
