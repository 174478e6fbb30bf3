/** What `<call-controls>` reports when the user toggles its settings button. */
export interface CallSettingsToggleDetail {
  /** Whether settings should now be shown. */
  readonly open: boolean;
}

/**
 * Fired when the user presses the settings button of `<call-controls>`; the room (or page) shows or hides its
 * settings (device pickers, …) in response. Not fired when the page sets `settingsOpen`. Bubbles and is composed.
 */
export class CallSettingsToggleEvent extends Event {
  static readonly eventName = 'call-settings-toggle' as const;
  readonly detail: CallSettingsToggleDetail;

  constructor(detail: CallSettingsToggleDetail) {
    super(CallSettingsToggleEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-settings-toggle': CallSettingsToggleEvent;
  }
}
