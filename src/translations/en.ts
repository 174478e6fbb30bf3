/** English strings, the fallback for every other language. */
export const en = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  allowAccess: 'Allow access',
  tryAgain: 'Try again',
  needsPermission: 'Allow access to see your devices.',
  permissionDenied:
    'Access was blocked. Allow it in the browser’s site settings (the icon next to the address), then try again.',
  noDevice: 'No device found. Connect one, then try again.',
  deviceInUse: 'The device is in use by another application. Close it, then try again.',
  unsupported: 'This browser cannot choose where audio plays.',
  unnamedDevice: 'Device {0}',
};

/** The keys every translation provides. */
export type Translation = Readonly<Record<keyof typeof en, string>>;
