import type { BreakoutPlace } from '../core/breakout-types.js';

export interface CallBreakoutChangeDetail {
  /** Where the local user is now: the main room (`id` `main`) or a breakout room. */
  readonly room: BreakoutPlace;
  /** Where they were. */
  readonly previous: BreakoutPlace;
}

/** The local user moved to another breakout room, or back to the main room. Bubbles and is composed. */
export class CallBreakoutChangeEvent extends Event {
  static readonly eventName = 'call-breakout-change' as const;
  readonly detail: CallBreakoutChangeDetail;

  constructor(detail: CallBreakoutChangeDetail) {
    super(CallBreakoutChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-breakout-change': CallBreakoutChangeEvent;
  }
}
