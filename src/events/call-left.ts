export interface CallLeftDetail {
  readonly room: string;
  /** `user`: `leave()` or the leave button; `error`: the call could not go on. */
  readonly reason: 'user' | 'error';
}

/** The local user is out of the room. Bubbles and is composed. */
export class CallLeftEvent extends Event {
  static readonly eventName = 'call-left' as const;
  readonly detail: CallLeftDetail;

  constructor(detail: CallLeftDetail) {
    super(CallLeftEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-left': CallLeftEvent;
  }
}
