// One place for the Chromium binary and flags every browser test uses (see shared/docs/toolchain.md §2).
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/lib/chromium/chromium';

/**
 * The fake camera's picture: a 320×240, 15 fps Y4M clip (a bar sweeping across grey, one second, looped), so
 * every test camera is small whatever the page asks for. Chromium's own fake camera is 640×480 at 30 fps.
 */
export const fakeCameraClip = writeFakeCameraClip(320, 240, 15);

/** `noise`: fresh grain in every frame, so the encoder needs all the bitrate it is allowed. */
function writeFakeCameraClip(width, height, fps, noise = false) {
  const name = `call-elements-fake-camera-${width}x${height}-${fps}fps${noise ? '-noise' : ''}.y4m`;
  const path = join(tmpdir(), name);
  if (existsSync(path)) return path;
  const luma = width * height;
  const chroma = luma / 4;
  const frames = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < fps; i++) {
    const frame = Buffer.alloc(luma + 2 * chroma, 128);
    const barStart = Math.floor((i / fps) * width);
    for (let y = 0; y < height; y++)
      frame.fill(235, y * width + barStart, y * width + Math.min(barStart + width / 8, width));
    if (noise) for (let p = 0; p < luma; p++) frame[p] += ((p * 7919 + i * 104729) ^ (p >> 3)) % 48;
    frames.push(Buffer.from('FRAME\n'), frame);
  }
  // Written under another name, then renamed: parallel test processes never read half a file.
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.concat(frames));
  renameSync(partial, path);
  return path;
}

/** Fake camera and mic, no permission prompt, WebRTC over loopback, and no background network traffic. */
export const chromiumArgs = [
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${fakeCameraClip}`,
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

/**
 * Chromium's own fake camera (640×480 at 30 fps) instead of the small clip: for simulcast, since Chrome sends a
 * single layer for pictures under about 480×270.
 */
export const chromiumArgsWithBuiltInCamera = chromiumArgs.filter(
  (a) => !a.startsWith('--use-file-for-fake-video-capture='),
);

/**
 * A 640×480, 15 fps clip instead of the small one: Chrome sends two simulcast layers (640 and 320 wide) of it,
 * none below about 480×270. `grain` makes every frame new, so the camera uses all the bitrate it may (the
 * plain clip needs a few tens of kbps, and keeps its resolution however short the bandwidth). Written on
 * first use.
 */
export function chromiumArgsWithVgaClip({ grain = false } = {}) {
  const clip = writeFakeCameraClip(640, 480, 15, grain);
  return chromiumArgs.map((a) =>
    a.startsWith('--use-file-for-fake-video-capture=') ? `--use-file-for-fake-video-capture=${clip}` : a,
  );
}
