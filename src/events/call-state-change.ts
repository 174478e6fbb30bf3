import type { CallState } from '../core/types.js';

export interface CallStateChangeDetail {
  readonly state: CallState;
  readonly previous: CallState;
}

/** The call moved from one state to another (`idle`, `joining`, `joined`, `reconnecting`, `left`, `error`). Bubbles and is composed. */
export class CallStateChangeEvent extends Event {
  static readonly eventName = 'call-state-change' as const;
  readonly detail: CallStateChangeDetail;

  constructor(detail: CallStateChangeDetail) {
    super(CallStateChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-state-change': CallStateChangeEvent;
  }
}
