// Host controls in one room: every action is checked against the actor's `canModerate` (from their token, never
// from the frame), then asks the target's page (unmute, mute, stop camera), lowers their hand, spotlights them
// for everyone, or removes them. Removal is the server's: the socket closes with 4410, the user is refused in
// this room until their token expires (RemovalLedger), and the runtime closes their SFU tracks (`onRemoved`).
import { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import type { RaisedHand } from '../../src/protocol/moderation.js';
import type { ClientMessageOf, ServerMessage } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { CLOCK_TOLERANCE_SECONDS, MAX_TOKEN_TTL_SECONDS } from './call-token.js';
import type { Clock } from './clock.js';
import type { RaisedHands } from './hands-and-reactions.js';
import type { PresenceEffect } from './presence-effects.js';
import type { RemovalLedger } from './removal-ledger.js';
import type { RoomMembers } from './room-members.js';

export class RoomModeration {
  #spotlight: string | null = null;
  /** Token expiry (seconds since the epoch) of each member's latest token: how long a removal lasts. */
  readonly #expiresAt = new Map<string, number>();

  constructor(
    private readonly members: RoomMembers,
    private readonly hands: RaisedHands,
    private readonly removals: RemovalLedger,
    private readonly now: Clock,
  ) {}

  /** Whether a host removed this user and their ban still runs. */
  refusesJoin(userId: string): boolean {
    return this.removals.isRemoved(this.members.room, userId);
  }

  /** A member joined with a token that expires at `tokenExpiresAt` (seconds since the epoch). */
  joined(userId: string, tokenExpiresAt: number): void {
    this.#expiresAt.set(userId, tokenExpiresAt);
  }

  /** What `hello` carries of hands and spotlight, left out when there is nothing to say. */
  helloFields(): { hands?: RaisedHand[]; spotlight?: string } {
    const hands = this.hands.list();
    return {
      ...(hands.length > 0 && { hands }),
      ...(this.#spotlight !== null && { spotlight: this.#spotlight }),
    };
  }

  /** When the member's latest token expires (seconds since the epoch), if they joined as a listed member. */
  tokenExpiresAt(userId: string): number | undefined {
    return this.#expiresAt.get(userId);
  }

  /** A member's socket moved to a fresher token: a removal then lasts until that one expires. */
  tokenRefreshed(userId: string, tokenExpiresAt: number): void {
    if (this.#expiresAt.has(userId)) {
      this.#expiresAt.set(userId, Math.max(tokenExpiresAt, this.#expiresAt.get(userId) ?? 0));
    }
  }

  /** A member left (for whatever reason): a spotlight on them goes out. */
  left(userId: string): PresenceEffect[] {
    this.#expiresAt.delete(userId);
    if (this.#spotlight !== userId) return [];
    this.#spotlight = null;
    return this.members.broadcast(this.spotlightMessage());
  }

  get spotlight(): string | null {
    return this.#spotlight;
  }

  spotlightMessage(): ServerMessage {
    return { v: PROTOCOL_VERSION, type: 'spotlight', participantId: this.#spotlight };
  }

  /** A `moderate` frame from `actorId`. A refusal changes nothing and answers the actor alone. */
  moderate(actorId: string, message: ClientMessageOf<'moderate'>): PresenceEffect[] {
    const actor = this.members.participant(actorId);
    if (!actor) return [];
    if (!actor.canModerate) {
      return this.members.error(actorId, PresenceErrorCode.forbidden, 'only a host can do that');
    }
    const target = message.participantId;
    if (!this.members.participant(target)) {
      return this.members.error(actorId, PresenceErrorCode.notInRoom, 'that participant is not in the room');
    }
    switch (message.action) {
      case 'ask-unmute':
      case 'mute-mic':
      case 'stop-camera':
        return this.members.sendTo(target, {
          v: PROTOCOL_VERSION,
          type: 'host-request',
          request: message.action,
          by: actorId,
        });
      case 'lower-hand':
        return this.hands.lower(target);
      case 'spotlight':
        return this.#setSpotlight(target);
      case 'unspotlight':
        return this.#spotlight === target ? this.#setSpotlight(null) : [];
      case 'remove':
        if (target === actorId) {
          return this.members.error(
            actorId,
            PresenceErrorCode.badRequest,
            'leave instead of removing yourself',
          );
        }
        return this.#remove(target);
    }
  }

  #setSpotlight(participantId: string | null): PresenceEffect[] {
    if (this.#spotlight === participantId) return [];
    this.#spotlight = participantId;
    return this.members.broadcast(this.spotlightMessage());
  }

  #remove(userId: string): PresenceEffect[] {
    // A member restored from a record stored without its token's expiry: the longest a token can live.
    const expiresAt = this.#expiresAt.get(userId) ?? this.now() / 1000 + MAX_TOKEN_TTL_SECONDS;
    // Verification accepts a token up to the clock tolerance past `exp`: the ban covers that too.
    this.removals.remove(this.members.room, userId, (expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000);
    return this.members.expel(userId);
  }
}
