import type { CallErrorCode } from '../../core/call-error.js';
import type { Translation } from '../../translations/en.js';

/** The sentence a person in the call reads for each error; the technical message stays in `call-error`. */
export const errorTerms: Readonly<Record<CallErrorCode, keyof Translation>> = {
  'permission-denied': 'devicesBlocked',
  'no-device': 'errorNoDevice',
  'device-in-use': 'errorDeviceInUse',
  'token-failed': 'errorTokenFailed',
  forbidden: 'errorForbidden',
  'rate-limited': 'errorRateLimited',
  'connection-failed': 'errorConnectionFailed',
  unsupported: 'errorUnsupported',
};

/** Device problems: the call goes on without that device, so they show as a notice, not an error screen. */
export const DEVICE_ERRORS: ReadonlySet<CallErrorCode> = new Set([
  'permission-denied',
  'no-device',
  'device-in-use',
]);
