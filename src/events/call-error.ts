import type { CallErrorDetail } from '../core/call-error.js';

export type { CallErrorCode, CallErrorDetail } from '../core/call-error.js';

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
