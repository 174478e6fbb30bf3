export interface CallChatSendRequestDetail {
  /** What the user is about to send. */
  readonly text: string;
}

/**
 * The user is about to send a chat message. Cancelable: `preventDefault()` keeps it from being sent (a host
 * page filtering or logging messages). Bubbles and is composed.
 */
export class CallChatSendRequestEvent extends Event {
  static readonly eventName = 'call-chat-send-request' as const;
  readonly detail: CallChatSendRequestDetail;

  constructor(detail: CallChatSendRequestDetail) {
    super(CallChatSendRequestEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-chat-send-request': CallChatSendRequestEvent;
  }
}
