import { BehaviorSubject, Observable } from 'rxjs';
import type { DeviceKind, DeviceSnapshot, DeviceSource, DeviceStatus } from '../core/media-devices.js';

/** A `MediaDeviceInfo` look-alike for tests and stories. */
export function fakeDevice(kind: MediaDeviceKind, deviceId: string, label: string): MediaDeviceInfo {
  return { kind, deviceId, label, groupId: 'fake-group', toJSON: () => ({ kind, deviceId, label }) };
}

const browserKinds: Record<DeviceKind, MediaDeviceKind> = {
  camera: 'videoinput',
  microphone: 'audioinput',
  speaker: 'audiooutput',
};

/** The devices a fake source lists by default: two of the kind. */
export function fakeDevices(kind: DeviceKind): MediaDeviceInfo[] {
  const name = kind[0].toUpperCase() + kind.slice(1);
  return [1, 2].map((n) => fakeDevice(browserKinds[kind], `fake-${kind}-${n}`, `Fake ${name} ${n}`));
}

/**
 * A device source driven by the test or story: set the status and devices, watch what the element selects, and
 * count live subscriptions to prove cleanup.
 */
export class FakeDeviceSource implements DeviceSource {
  readonly selected: MediaDeviceInfo[] = [];
  accessRequests = 0;
  /** What `requestAccess()` resolves to and switches the status to. */
  accessResult: DeviceStatus = 'ready';
  #subscriptions = 0;
  readonly #state: BehaviorSubject<DeviceSnapshot>;

  constructor(
    readonly kind: DeviceKind,
    status: DeviceStatus = 'ready',
    devices: MediaDeviceInfo[] = fakeDevices(kind),
  ) {
    this.#state = new BehaviorSubject(this.#snapshot(status, devices, devices[0]));
  }

  /** How many subscribers are listening right now. */
  get activeSubscriptions(): number {
    return this.#subscriptions;
  }

  readonly snapshot$ = new Observable<DeviceSnapshot>((subscriber) => {
    this.#subscriptions++;
    const inner = this.#state.subscribe(subscriber);
    return () => {
      this.#subscriptions--;
      inner.unsubscribe();
    };
  });

  /** Moves the source to `status` (and optionally a new device list), as a browser would. */
  set(status: DeviceStatus, devices: MediaDeviceInfo[] = this.#state.value.devices.slice()): void {
    const all = devices.length ? devices : fakeDevices(this.kind);
    this.#state.next(this.#snapshot(status, all, all[0]));
  }

  select(device: MediaDeviceInfo): void {
    this.selected.push(device);
    const current = this.#state.value;
    this.#state.next({ ...current, active: device });
  }

  async requestAccess(): Promise<DeviceStatus> {
    this.accessRequests++;
    this.set(this.accessResult);
    return this.accessResult;
  }

  #snapshot(status: DeviceStatus, devices: MediaDeviceInfo[], active?: MediaDeviceInfo): DeviceSnapshot {
    return status === 'ready' ? { status, devices, active } : { status, devices: [] };
  }
}
