import type { CallParticipant } from '../core/types.js';

export interface CallParticipantJoinedDetail {
  readonly participant: CallParticipant;
}

/** Someone else joined after the local user. Bubbles and is composed. */
export class CallParticipantJoinedEvent extends Event {
  static readonly eventName = 'call-participant-joined' as const;
  readonly detail: CallParticipantJoinedDetail;

  constructor(detail: CallParticipantJoinedDetail) {
    super(CallParticipantJoinedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-participant-joined': CallParticipantJoinedEvent;
  }
}
