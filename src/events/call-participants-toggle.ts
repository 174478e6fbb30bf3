/** What `<call-controls>` reports when the user toggles its participants button. */
export interface CallParticipantsToggleDetail {
  /** Whether the participant list should now be shown. */
  readonly open: boolean;
}

/**
 * Fired when the user presses the participants button of `<call-controls>`; the room (or page) shows or hides
 * its participant list. Not fired when the page sets `participantsOpen`. Bubbles and is composed.
 */
export class CallParticipantsToggleEvent extends Event {
  static readonly eventName = 'call-participants-toggle' as const;
  readonly detail: CallParticipantsToggleDetail;

  constructor(detail: CallParticipantsToggleDetail) {
    super(CallParticipantsToggleEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-participants-toggle': CallParticipantsToggleEvent;
  }
}
