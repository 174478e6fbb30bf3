// One place for the Chromium binary and flags every browser test uses (see shared/docs/toolchain.md §2).
export const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/lib/chromium/chromium';

/** Fake camera and mic, no permission prompt, WebRTC over loopback, and no background network traffic. */
export const chromiumArgs = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The same flags without the media-permission grant, for permission-denied tests. */
export const chromiumArgsWithoutMediaGrant = chromiumArgs.filter(
  (a) => a !== '--use-fake-ui-for-media-stream',
);
