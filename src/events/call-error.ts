/** Why a call-elements element could not do what it was asked. */
export type CallErrorCode =
  | 'permission-denied'
  | 'no-device'
  | 'device-in-use'
  | 'token-failed'
  | 'forbidden'
  | 'rate-limited'
  | 'connection-failed'
  | 'unsupported';

export interface CallErrorDetail {
  /** What went wrong, for code to act on. */
  readonly code: CallErrorCode;
  /** A sentence for people, in English. */
  readonly message: string;
  /** Whether retrying (e.g. after the user changes a setting) can succeed. */
  readonly recoverable: boolean;
  /** The original error: a DOMException name, a server `errorCode`, … */
  readonly cause?: unknown;
}

/** Fired when an element hits a problem the page may want to show or log. Bubbles and is composed. */
export class CallErrorEvent extends Event {
  static readonly eventName = 'call-error' as const;
  readonly detail: CallErrorDetail;

  constructor(detail: CallErrorDetail) {
    super(CallErrorEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-error': CallErrorEvent;
  }
}
