// Raised hands, the spotlight, reactions and host requests as the page sees them: the state presence reports,
// and the commands a page may send. Headless; CallSession composes it, elements read it through CallSessionLike.
import type { Observable } from 'rxjs';
import type {
  HostRequest,
  ModerationAction,
  RaisedHand,
  Reaction,
  ServerMessage,
} from '../protocol/index.js';
import type { CallParticipant } from './types.js';

export type { HostRequest, ModerationAction, RaisedHand, Reaction };

/** One reaction someone sent, as it arrived. */
export interface CallReaction {
  /** Unique within the call, for keys. */
  readonly id: string;
  readonly participantId: string;
  readonly emoji: Reaction;
}

/** A host asked this page's user to unmute, or turned their microphone or camera off. */
export interface CallHostRequest {
  readonly request: HostRequest;
  /** The host's participant id. */
  readonly by: string;
}

/** Hands and spotlight, as presence last said. */
export interface ModerationState {
  /** Raised hands, first raised first. */
  readonly hands: readonly RaisedHand[];
  /** Whom a host spotlighted for everyone. */
  readonly spotlight?: string;
}

export const emptyModeration: ModerationState = { hands: [] };

/** Applies one presence message. Pure: the same state back when nothing changed. */
export function reduceModeration(state: ModerationState, message: ServerMessage): ModerationState {
  switch (message.type) {
    case 'hello':
      return {
        hands: message.hands ?? [],
        ...(message.spotlight !== undefined && { spotlight: message.spotlight }),
      };
    case 'hands':
      return { ...state, hands: message.hands };
    case 'spotlight': {
      if ((state.spotlight ?? null) === message.participantId) return state;
      const { spotlight: _previous, ...rest } = state;
      return message.participantId === null ? rest : { ...rest, spotlight: message.participantId };
    }
    case 'participant-left': {
      const hands = state.hands.filter((h) => h.participantId !== message.participantId);
      const spotlightGone = state.spotlight === message.participantId;
      if (hands.length === state.hands.length && !spotlightGone) return state;
      return spotlightGone ? { hands } : { ...state, hands };
    }
    default:
      return state;
  }
}

/** Adds the raise time of each raised hand, and the spotlight, to the participants. */
export function withModeration(list: readonly CallParticipant[], state: ModerationState): CallParticipant[] {
  const raisedAt = new Map(state.hands.map((h) => [h.participantId, h.raisedAt]));
  return list.map((p) => {
    const at = raisedAt.get(p.id);
    const spotlighted = state.spotlight === p.id;
    if (at === undefined && !spotlighted) return p;
    return {
      ...p,
      ...(at !== undefined && { handRaised: true, handRaisedAt: at }),
      ...(spotlighted && { spotlighted: true }),
    };
  });
}

/**
 * What a session offers for hands, reactions and host controls. Every host command is checked on the server
 * against the token's `canModerate`; from any other token it changes nothing (and `errors$` reports it).
 */
export interface HostControlsLike {
  /** Raised hands, first raised first. */
  readonly hands$: Observable<readonly RaisedHand[]>;
  /** Whom a host spotlighted for everyone (`undefined`: nobody). The stage puts them first. */
  readonly spotlight$: Observable<string | undefined>;
  /** Reactions as they arrive, the page's own included. */
  readonly reactions$: Observable<CallReaction>;
  /**
   * Requests from a host to this page's user. `mute-mic` and `stop-camera` have already been obeyed when they
   * arrive; `ask-unmute` only asks: the user decides.
   */
  readonly hostRequests$: Observable<CallHostRequest>;
  /** Whether this page's token may use the host controls. */
  readonly canModerate$: Observable<boolean>;
  /** True once a host removed this page's user from the call (the state is then `error`). */
  readonly removed$: Observable<boolean>;
  /** Raises or lowers this page's user's hand. */
  setHandRaised(raised: boolean): void;
  /** Sends a reaction (rate limited by the server). */
  react(emoji: Reaction): void;
  /** A host action on another participant (see `ModerationAction`). */
  moderate(action: ModerationAction, participantId: string): void;
}
