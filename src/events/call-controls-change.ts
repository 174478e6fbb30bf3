/** Which toggle of `<call-controls>` the user pressed, and what they asked for. */
export interface CallControlsChangeDetail {
  readonly kind: 'microphone' | 'camera' | 'screen' | 'hand';
  /** The state the user asked for: `true` turns the microphone, camera or screen sharing on, or raises the hand. */
  readonly on: boolean;
}

/**
 * The native-named `change` event of `<call-controls>`: the user toggled the microphone, camera or screen sharing.
 * Fired only for user actions, never when the session's state changes by itself or from script. Bubbles and is
 * composed.
 */
export class CallControlsChangeEvent extends Event {
  static readonly eventName = 'change' as const;
  readonly detail: CallControlsChangeDetail;

  constructor(detail: CallControlsChangeDetail) {
    super(CallControlsChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}
