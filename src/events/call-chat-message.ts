import type { ChatMessage } from '../core/chat-types.js';

export interface CallChatMessageDetail {
  /** The message; `own` tells a sent one from a received one. */
  readonly message: ChatMessage;
}

/** A chat message was sent from this page or received. Bubbles and is composed. */
export class CallChatMessageEvent extends Event {
  static readonly eventName = 'call-chat-message' as const;
  readonly detail: CallChatMessageDetail;

  constructor(detail: CallChatMessageDetail) {
    super(CallChatMessageEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-chat-message': CallChatMessageEvent;
  }
}
