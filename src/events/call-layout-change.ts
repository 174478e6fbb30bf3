/** The room's layouts: everyone alike, or the last speaker large. */
export type CallLayout = 'grid' | 'speaker';

export interface CallLayoutChangeDetail {
  readonly layout: CallLayout;
}

/**
 * Fired when the user picks a layout in `<call-controls>`' menu; `<call-room>` switches to it. Not fired when
 * the page sets `layout`. Bubbles and is composed.
 */
export class CallLayoutChangeEvent extends Event {
  static readonly eventName = 'call-layout-change' as const;
  readonly detail: CallLayoutChangeDetail;

  constructor(detail: CallLayoutChangeDetail) {
    super(CallLayoutChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-layout-change': CallLayoutChangeEvent;
  }
}
