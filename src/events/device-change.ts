/** What a `<device-picker>` reports when the user picks a device. */
export interface DeviceChangeDetail {
  readonly kind: 'camera' | 'microphone' | 'speaker';
  readonly device: MediaDeviceInfo;
}

/**
 * The native-named `change` event of `<device-picker>`, carrying the chosen device. Fired only for user choices,
 * never when the page sets `value` from script. Bubbles and is composed.
 */
export class DeviceChangeEvent extends Event {
  static readonly eventName = 'change' as const;
  readonly detail: DeviceChangeDetail;

  constructor(detail: DeviceChangeDetail) {
    super(DeviceChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}
