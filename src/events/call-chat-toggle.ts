export interface CallChatToggleDetail {
  /** Whether the chat should now be shown. */
  readonly open: boolean;
}

/** The user pressed the chat button of `<call-controls>`. Not fired when the page sets `chatOpen`. */
export class CallChatToggleEvent extends Event {
  static readonly eventName = 'call-chat-toggle' as const;
  readonly detail: CallChatToggleDetail;

  constructor(detail: CallChatToggleDetail) {
    super(CallChatToggleEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-chat-toggle': CallChatToggleEvent;
  }
}
