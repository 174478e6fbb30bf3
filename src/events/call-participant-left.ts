import type { CallParticipant } from '../core/types.js';

export interface CallParticipantLeftDetail {
  readonly participant: CallParticipant;
}

/** Someone else left the room (or was dropped after a long silence). Bubbles and is composed. */
export class CallParticipantLeftEvent extends Event {
  static readonly eventName = 'call-participant-left' as const;
  readonly detail: CallParticipantLeftDetail;

  constructor(detail: CallParticipantLeftDetail) {
    super(CallParticipantLeftEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-participant-left': CallParticipantLeftEvent;
  }
}
