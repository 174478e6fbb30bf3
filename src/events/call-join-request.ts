/** What the user chose on the pre-join screen. */
export interface CallJoinRequestDetail {
  /** The name typed into the name field (empty when the screen had none). */
  readonly displayName: string;
}

/**
 * Fired when the user presses Join on the pre-join screen (`<call-prejoin>`). Cancelable: call `preventDefault()`
 * to check something first or join another way; otherwise the element calls `session.join({ displayName })`.
 * Bubbles and is composed.
 */
export class CallJoinRequestEvent extends Event {
  static readonly eventName = 'call-join-request' as const;
  readonly detail: CallJoinRequestDetail;

  constructor(detail: CallJoinRequestDetail) {
    super(CallJoinRequestEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-join-request': CallJoinRequestEvent;
  }
}
