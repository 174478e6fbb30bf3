// Raised hands in the order they went up, and reactions rate limited per participant. Everyone may raise and
// lower their own hand and react; a host lowers others' hands through RoomModeration.
import { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import type { RaisedHand, Reaction } from '../../src/protocol/moderation.js';
import type { ServerMessage } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { Clock } from './clock.js';
import type { PresenceEffect } from './presence-effects.js';
import type { RoomMembers } from './room-members.js';
import { KeyedRateLimiter, type TokenBucketOptions } from './token-bucket.js';

/** Reactions per participant: four at once, then one every two seconds. */
export const DEFAULT_REACTION_RATE: TokenBucketOptions = { capacity: 4, refillPerSecond: 0.5 };

export class RaisedHands {
  /** Raise time by user id; a Map keeps insertion order, which is raise order. */
  readonly #raisedAt = new Map<string, number>();

  constructor(
    private readonly members: RoomMembers,
    private readonly now: Clock,
  ) {}

  raise(userId: string): PresenceEffect[] {
    if (!this.mark(userId, true)) return [];
    return [...this.members.setHandRaised(userId, true), ...this.members.broadcast(this.message())];
  }

  lower(userId: string): PresenceEffect[] {
    if (!this.mark(userId, false)) return [];
    return [...this.members.setHandRaised(userId, false), ...this.members.broadcast(this.message())];
  }

  /**
   * Moves the hand in the queue only, telling nobody: for a caller that sends the participant's state itself.
   * True if it moved.
   */
  mark(userId: string, raised: boolean): boolean {
    if (!raised) return this.#raisedAt.delete(userId);
    if (this.#raisedAt.has(userId) || !this.members.participant(userId)) return false;
    this.#raisedAt.set(userId, this.now());
    return true;
  }

  /** The participant left: their hand goes down for everyone still here. */
  left(userId: string): PresenceEffect[] {
    return this.#raisedAt.delete(userId) ? this.members.broadcast(this.message()) : [];
  }

  /** Raised hands, first raised first. */
  list(): RaisedHand[] {
    return [...this.#raisedAt].map(([participantId, raisedAt]) => ({ participantId, raisedAt }));
  }

  message(): ServerMessage {
    return { v: PROTOCOL_VERSION, type: 'hands', hands: this.list() };
  }
}

export class Reactions {
  readonly #limiter: KeyedRateLimiter;
  #lastId = 0;

  constructor(
    private readonly members: RoomMembers,
    now: Clock,
    rate: TokenBucketOptions = DEFAULT_REACTION_RATE,
  ) {
    this.#limiter = new KeyedRateLimiter(rate, now);
  }

  react(userId: string, emoji: Reaction): PresenceEffect[] {
    const taken = this.#limiter.take(userId);
    if (!taken.ok) {
      return this.members.error(
        userId,
        PresenceErrorCode.rateLimited,
        `too many reactions; try again in ${taken.retryAfterSeconds} s`,
      );
    }
    return this.members.broadcast({
      v: PROTOCOL_VERSION,
      type: 'reaction',
      id: ++this.#lastId,
      participantId: userId,
      emoji,
    });
  }
}
