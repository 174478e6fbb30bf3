// What the room's feature modules (hands, reactions, host controls) may ask of the room's roster. RoomPresence
// implements it; the modules never hold members themselves, so the roster has one owner.
import type { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import type { Participant, ServerMessage } from '../../src/protocol/schemas.js';
import type { PresenceEffect } from './presence-effects.js';

export interface RoomMembers {
  readonly room: string;
  participant(userId: string): Participant | undefined;
  /** Sets a member's `handRaised` and tells everyone (`participant-state`). */
  setHandRaised(userId: string, raised: boolean): PresenceEffect[];
  broadcast(message: ServerMessage): PresenceEffect[];
  sendTo(userId: string, message: ServerMessage): PresenceEffect[];
  error(userId: string, code: PresenceErrorCode, message: string): PresenceEffect[];
  /** Closes a member's socket with 4410 and removes them (`participant-left` with reason `removed`). */
  expel(userId: string): PresenceEffect[];
}
