export interface CallRemovedDetail {
  readonly room: string;
}

/**
 * A host removed the local user from the call. The call has ended (state `error`), and the same token cannot
 * rejoin this room until it expires. Bubbles and is composed.
 */
export class CallRemovedEvent extends Event {
  static readonly eventName = 'call-removed' as const;
  readonly detail: CallRemovedDetail;

  constructor(detail: CallRemovedDetail) {
    super(CallRemovedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-removed': CallRemovedEvent;
  }
}
