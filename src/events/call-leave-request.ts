/**
 * Fired when the user asks to leave the call (the leave button of `<call-controls>`). Cancelable: call
 * `preventDefault()` to confirm first or leave some other way; otherwise the element calls `session.leave()`.
 * Carries no detail. Bubbles and is composed.
 */
export class CallLeaveRequestEvent extends Event {
  static readonly eventName = 'call-leave-request' as const;

  constructor() {
    super(CallLeaveRequestEvent.eventName, { bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-leave-request': CallLeaveRequestEvent;
  }
}
