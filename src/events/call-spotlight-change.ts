import type { CallParticipant } from '../core/types.js';

export interface CallSpotlightChangeDetail {
  /** Whom a host spotlighted for everyone; `undefined` when the spotlight went off. */
  readonly participant?: CallParticipant;
  readonly previous?: CallParticipant;
}

/** A host spotlighted someone for everyone, or turned the spotlight off. Bubbles and is composed. */
export class CallSpotlightChangeEvent extends Event {
  static readonly eventName = 'call-spotlight-change' as const;
  readonly detail: CallSpotlightChangeDetail;

  constructor(detail: CallSpotlightChangeDetail) {
    super(CallSpotlightChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-spotlight-change': CallSpotlightChangeEvent;
  }
}
