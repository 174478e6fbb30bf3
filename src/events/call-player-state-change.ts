/** Where a `<call-player>` is: not started, connecting, playing, reconnecting after a drop, or stopped by an error. */
export type PlayerState = 'idle' | 'connecting' | 'playing' | 'reconnecting' | 'error';

export interface CallPlayerStateChangeDetail {
  readonly state: PlayerState;
  readonly previous: PlayerState;
}

/** A `<call-player>` moved from one state to another. Bubbles and is composed. */
export class CallPlayerStateChangeEvent extends Event {
  static readonly eventName = 'call-player-state-change' as const;
  readonly detail: CallPlayerStateChangeDetail;

  constructor(detail: CallPlayerStateChangeDetail) {
    super(CallPlayerStateChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-player-state-change': CallPlayerStateChangeEvent;
  }
}
