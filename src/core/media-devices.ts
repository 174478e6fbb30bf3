import { getCamera, getMic, devices$ as partyDevices$, type MediaDevice } from 'partytracks/client';
import { BehaviorSubject, Observable, combineLatest, fromEvent, map, merge, of } from 'rxjs';

/** What a device source chooses: an input (camera, microphone) or where audio plays (speaker). */
export type DeviceKind = 'camera' | 'microphone' | 'speaker';

/** Whether devices can be listed and chosen, or why not. */
export type DeviceStatus =
  'ready' | 'needs-permission' | 'permission-denied' | 'no-device' | 'device-in-use' | 'unsupported';

export interface DeviceSnapshot {
  readonly status: DeviceStatus;
  /** Devices of this kind, in the browser's order. Empty unless `status` is `ready`. */
  readonly devices: readonly MediaDeviceInfo[];
  /** The device in use, else the remembered preference, else the first one. */
  readonly active?: MediaDeviceInfo;
}

/** Lists and chooses devices of one kind. Touches no media until subscribed or asked. */
export interface DeviceSource {
  readonly kind: DeviceKind;
  /** The current list, choice and status; emits again on hot-plug and permission changes. */
  readonly snapshot$: Observable<DeviceSnapshot>;
  /** Makes `device` the preferred one; the choice is remembered across visits. */
  select(device: MediaDeviceInfo): void;
  /** Asks the browser for access (most browsers want a user gesture first). Resolves to the resulting status. */
  requestAccess(): Promise<DeviceStatus>;
}

/** Maps a getUserMedia failure to a device status. */
export function statusForMediaError(error: unknown): DeviceStatus {
  const name = (error as { name?: string } | undefined)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'permission-denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'DevicesExhaustedError':
      return 'no-device';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'device-in-use';
    default:
      return 'no-device';
  }
}

/** Where the remembered choice lives: partytracks' own keys for inputs, so a live call follows it; ours for speakers. */
const PREFERENCE_KEYS: Record<DeviceKind, string> = {
  camera: 'partytracks-videoinput-preferred-device',
  microphone: 'partytracks-audioinput-preferred-device',
  speaker: 'call-elements-speaker-preferred-device',
};

interface StoredDevice {
  readonly deviceId: string;
  readonly label: string;
}

function readPreference(key: string): StoredDevice | undefined {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

/** The remembered device of one kind, following changes made by other pickers and tabs. */
function preference$(kind: DeviceKind): Observable<StoredDevice | undefined> {
  const key = PREFERENCE_KEYS[kind];
  return merge(of(undefined), fromEvent(window, 'storage')).pipe(map(() => readPreference(key)));
}

function storeSpeakerPreference(device: MediaDeviceInfo): void {
  try {
    const { deviceId, label } = device;
    localStorage.setItem(PREFERENCE_KEYS.speaker, JSON.stringify({ deviceId, label }));
  } catch {
    // Storage can be off (private mode, sandboxed iframe): the choice then lasts for this page only.
  }
  // Same-page listeners (other pickers) hear about it the way partytracks announces input choices.
  window.dispatchEvent(new Event('storage'));
}

/** Matches by label, like partytracks: device ids rotate between origins and sessions, labels do not. */
const matches = (device: MediaDeviceInfo, stored: StoredDevice | undefined) =>
  !!stored && device.label === stored.label;

function snapshotFrom(
  devices: readonly MediaDeviceInfo[],
  permission: string,
  failure: DeviceStatus | undefined,
  pickActive: (devices: readonly MediaDeviceInfo[]) => MediaDeviceInfo | undefined,
): DeviceSnapshot {
  if (permission === 'denied') return { status: 'permission-denied', devices: [] };
  if (failure && failure !== 'ready') return { status: failure, devices: [] };
  if (devices.length === 0) return { status: 'no-device', devices: [] };
  // Browsers hide labels (and real ids) until the page has been granted access.
  if (devices.every((d) => d.label === '')) return { status: 'needs-permission', devices: [] };
  return { status: 'ready', devices, active: pickActive(devices) };
}

/**
 * Creates the device source for one kind. Cameras and microphones go through partytracks (`getCamera`,
 * `getMic`), so a choice made here also switches a live call's track; speakers use `setSinkId` support.
 */
export function createDeviceSource(kind: DeviceKind): DeviceSource {
  const failure$ = new BehaviorSubject<DeviceStatus | undefined>(undefined);
  const requestAccess = async (): Promise<DeviceStatus> => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(
        kind === 'camera' ? { video: true } : { audio: true },
      );
      stream.getTracks().forEach((t) => t.stop());
      failure$.next(undefined);
      return 'ready';
    } catch (error) {
      const status = statusForMediaError(error);
      failure$.next(status);
      return status;
    }
  };

  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.enumerateDevices) {
    return unsupportedSource(kind);
  }

  if (kind === 'speaker') {
    if (!('setSinkId' in HTMLMediaElement.prototype)) return unsupportedSource(kind);
    const outputs$ = partyDevices$.pipe(map((all) => all.filter((d) => d.kind === 'audiooutput')));
    const micPermission$ = new Observable<string>((subscriber) => {
      // Output devices are revealed by microphone access.
      navigator.permissions
        ?.query({ name: 'microphone' as PermissionName })
        .then((status) => {
          subscriber.next(status.state);
          status.onchange = () => subscriber.next(status.state);
          subscriber.add(() => (status.onchange = null));
        })
        .catch(() => subscriber.next('unknown'));
      if (!navigator.permissions?.query) subscriber.next('unknown');
    });
    return {
      kind,
      snapshot$: combineLatest([outputs$, micPermission$, failure$, preference$(kind)]).pipe(
        map(([devices, permission, failure, preferred]) =>
          snapshotFrom(
            devices,
            permission,
            failure,
            (list) => list.find((d) => matches(d, preferred)) ?? list[0],
          ),
        ),
      ),
      select: storeSpeakerPreference,
      requestAccess,
    };
  }

  // partytracks' getCamera()/getMic() only read devices and permissions until a track is subscribed.
  const media: MediaDevice = kind === 'camera' ? getCamera() : getMic();
  return {
    kind,
    snapshot$: combineLatest([
      media.devices$,
      media.permissionState$,
      failure$,
      media.activeDevice$,
      preference$(kind),
    ]).pipe(
      map(([devices, permission, failure, active, preferred]) =>
        snapshotFrom(devices, permission, failure, (list) =>
          // Until a track is live, partytracks reports the browser's "default" entry even when the user chose
          // another device; the stored choice is what the next track will use.
          active?.deviceId === 'default' || !active
            ? (list.find((d) => matches(d, preferred)) ?? active ?? list[0])
            : (list.find((d) => d.deviceId === active.deviceId) ?? list[0]),
        ),
      ),
    ),
    select: (device) => media.setPreferredDevice(device),
    requestAccess,
  };
}

function unsupportedSource(kind: DeviceKind): DeviceSource {
  return {
    kind,
    snapshot$: of({ status: 'unsupported', devices: [] }),
    select: () => undefined,
    requestAccess: async () => 'unsupported',
  };
}
