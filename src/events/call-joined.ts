import type { CallParticipant } from '../core/types.js';

export interface CallJoinedDetail {
  readonly room: string;
  /** The local participant, as the others see them. */
  readonly participant: CallParticipant;
}

/** The local user is in the room. Fired once per join, not after reconnects. Bubbles and is composed. */
export class CallJoinedEvent extends Event {
  static readonly eventName = 'call-joined' as const;
  readonly detail: CallJoinedDetail;

  constructor(detail: CallJoinedDetail) {
    super(CallJoinedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-joined': CallJoinedEvent;
  }
}
