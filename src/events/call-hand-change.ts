import type { CallParticipant } from '../core/types.js';

export interface CallHandChangeDetail {
  /** Whose hand went up or down. */
  readonly participant: CallParticipant;
  readonly raised: boolean;
  /** Everyone whose hand is up now, first raised first. */
  readonly hands: readonly CallParticipant[];
}

/**
 * Someone raised or lowered their hand (themselves, or a host lowered it; also when they leave with it up).
 * Bubbles and is composed.
 */
export class CallHandChangeEvent extends Event {
  static readonly eventName = 'call-hand-change' as const;
  readonly detail: CallHandChangeDetail;

  constructor(detail: CallHandChangeDetail) {
    super(CallHandChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-hand-change': CallHandChangeEvent;
  }
}
