import type { Reaction } from '../protocol/index.js';
import type { CallParticipant } from '../core/types.js';

export interface CallReactionDetail {
  /** Who reacted (the local participant too). */
  readonly participant: CallParticipant;
  /** One of `REACTIONS`. */
  readonly emoji: Reaction;
}

/** Someone sent a reaction. Fired even with `no-reactions` (which only hides them). Bubbles and is composed. */
export class CallReactionEvent extends Event {
  static readonly eventName = 'call-reaction' as const;
  readonly detail: CallReactionDetail;

  constructor(detail: CallReactionDetail) {
    super(CallReactionEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-reaction': CallReactionEvent;
  }
}
