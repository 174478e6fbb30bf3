import type { Observable } from 'rxjs';

/** One chat message, as `<call-chat>` shows it. */
export interface ChatMessage {
  readonly kind: 'message';
  readonly id: string;
  /** The participant who owns the channel it came on (from presence), never a name inside the message. */
  readonly participantId: string;
  readonly name: string;
  readonly text: string;
  /** By the sender's clock, ms since the epoch. */
  readonly sentAt: number;
  /** By this page's clock. */
  readonly receivedAt: number;
  /** Sent from this page. */
  readonly own: boolean;
}

/** A receiver dropped messages from a sender who sent too many too fast. */
export interface ChatDropNotice {
  readonly kind: 'dropped';
  readonly id: string;
  readonly participantId: string;
  readonly name: string;
  readonly count: number;
  readonly receivedAt: number;
}

export type ChatEntry = ChatMessage | ChatDropNotice;

export type ChatSendErrorCode = 'empty' | 'too-long' | 'rate-limited' | 'not-connected' | 'forbidden';

/** Why `send()` refused a message. */
export class ChatSendError extends Error {
  constructor(
    readonly code: ChatSendErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChatSendError';
  }
}

/** Chat in a call: `CallSession.chat`. */
export interface CallChat {
  /** Messages since this page joined, oldest first (late joiners see what was said from then on). */
  readonly messages$: Observable<readonly ChatEntry[]>;
  /**
   * Whether this participant may send: false once the SFU refused its channel (a token without canPublish or
   * canChat). Connecting or reconnecting is not a refusal: `send()` then throws `not-connected`.
   */
  readonly canSend$: Observable<boolean>;
  /** Sends `text`; throws `ChatSendError` when it is empty, over 4 KB, too fast, or the channel is not open yet. */
  send(text: string): ChatMessage;
}
