// Browser side of the glass-to-glass benchmark (shared/docs/performance.md §3b), injected into every page
// before its own scripts, identical in all three paths:
// - the camera: getUserMedia's video is a 320×240 canvas captured on change, redrawn 15 times a second with
//   moving content and a frame counter k written as 24 black/white 16 px blocks (16 bits + an 8-bit
//   checksum); the draw time of every k is kept (`performance.timeOrigin + now`, comparable across pages);
// - the screen: every remote `<video>` (a track that arrived on a PeerConnection) is read back in
//   requestVideoFrameCallback; a frame whose code checks out is recorded with its rVFC `receiveTime`,
//   `presentationTime` and `expectedDisplayTime` (absolute ms). Videos that never show a code (other tiles)
//   stop being read after a while;
// - stats: cumulative outbound and inbound video figures from every PeerConnection of the page.
import { onVideoStream } from './page-hooks.js';

export interface G2gFrame {
  k: number;
  receiveTime?: number;
  presentationTime: number;
  expectedDisplayTime: number;
}

export interface G2gOutbound {
  packetsSent: number;
  totalPacketSendDelay: number;
  bytesSent: number;
  framesEncoded: number;
  totalEncodeTime: number;
  targetBitrate?: number;
  availableOutgoingBitrate?: number;
  roundTripTime?: number;
  qualityLimitationReason?: string;
  frameWidth?: number;
  nackCount: number;
  pliCount: number;
}

export interface G2gInbound {
  framesDecoded: number;
  jitterBufferDelay: number;
  jitterBufferEmittedCount: number;
  totalProcessingDelay: number;
  framesDropped: number;
  frameWidth?: number;
}

export interface G2gProbe {
  /** Absolute draw time (ms) of each counter value. */
  draws: Record<number, number>;
  frames: G2gFrame[];
  checksumFailures: number;
  errors: string[];
  outbound(): Promise<G2gOutbound | undefined>;
  inbound(): Promise<G2gInbound | undefined>;
}

const BLOCK = 16;
const BITS = 24;
const X0 = 32;
const Y0 = 8;
const WIDTH = 320;
const HEIGHT = 240;
const FRAME_MS = 1000 / 15;
/** A video that shows no code in this many frames is another tile: stop reading it. */
const GIVE_UP_AFTER = 60;

const encode = (n: number) => {
  const v = n & 0xffff;
  return (v << 8) | (((v >> 8) ^ (v & 0xff) ^ 0x5a) & 0xff);
};
const absolute = (t: number) => performance.timeOrigin + t;

const errors: string[] = [];
const pcs: RTCPeerConnection[] = [];
const probe: G2gProbe = {
  draws: {},
  frames: [],
  checksumFailures: 0,
  errors,
  async outbound() {
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      let pair: Record<string, unknown> | undefined;
      for (const s of report.values()) if (s.type === 'candidate-pair' && s.nominated) pair = s;
      for (const s of report.values()) {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video' || !s.packetsSent) continue;
        return {
          packetsSent: s.packetsSent,
          totalPacketSendDelay: s.totalPacketSendDelay ?? 0,
          bytesSent: s.bytesSent,
          framesEncoded: s.framesEncoded ?? 0,
          totalEncodeTime: s.totalEncodeTime ?? 0,
          targetBitrate: s.targetBitrate,
          availableOutgoingBitrate: pair?.availableOutgoingBitrate as number | undefined,
          roundTripTime: pair?.currentRoundTripTime as number | undefined,
          qualityLimitationReason: s.qualityLimitationReason,
          frameWidth: s.frameWidth,
          nackCount: s.nackCount ?? 0,
          pliCount: s.pliCount ?? 0,
        };
      }
    }
    return undefined;
  },
  async inbound() {
    let best: G2gInbound | undefined;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const s of (await pc.getStats()).values()) {
        if (s.type !== 'inbound-rtp' || s.kind !== 'video') continue;
        if (!readTracks.has(s.trackIdentifier)) continue;
        best = {
          framesDecoded: s.framesDecoded ?? 0,
          jitterBufferDelay: s.jitterBufferDelay ?? 0,
          jitterBufferEmittedCount: s.jitterBufferEmittedCount ?? 0,
          totalProcessingDelay: s.totalProcessingDelay ?? 0,
          framesDropped: s.framesDropped ?? 0,
          frameWidth: s.frameWidth,
        };
      }
    }
    return best;
  },
};
const pages = window as unknown as Record<string, unknown>;
pages.__g2g = probe;
// The reused join and tiles pages report their errors here.
pages.__bench = { errors };
pages.__tiles = { errors };

// ---- the camera: a canvas with a frame counter ----
let canvasTrack: MediaStreamTrack | undefined;
function counterTrack(): MediaStreamTrack {
  if (canvasTrack && canvasTrack.readyState === 'live') return canvasTrack.clone();
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d')!;
  let k = 0;
  let last = -Infinity;
  const tick = (now: number) => {
    requestAnimationFrame(tick);
    if (now - last < FRAME_MS - 2) return;
    last = now;
    k++;
    ctx.fillStyle = '#404040';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    ctx.fillStyle = `hsl(${(k * 11) % 360} 70% 50%)`; // moving content, so the encoder does real work
    ctx.fillRect((k * 7) % (WIDTH - 60), 70 + ((k * 5) % 110), 60, 60);
    const code = encode(k);
    for (let b = 0; b < BITS; b++) {
      ctx.fillStyle = (code >> (BITS - 1 - b)) & 1 ? '#fff' : '#000';
      ctx.fillRect((b % 16) * BLOCK + X0, Y0 + Math.floor(b / 16) * BLOCK, BLOCK, BLOCK);
    }
    probe.draws[k & 0xffff] = absolute(performance.now());
  };
  requestAnimationFrame(tick);
  canvasTrack = canvas.captureStream().getVideoTracks()[0]!;
  return canvasTrack;
}

const media = navigator.mediaDevices;
if (media?.getUserMedia) {
  const getUserMedia = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    if (!constraints?.video) return getUserMedia(constraints);
    const stream = constraints.audio ? await getUserMedia({ audio: constraints.audio }) : new MediaStream();
    stream.addTrack(counterTrack());
    return stream;
  };
}

// ---- the screen: read the counter back ----
const reader = document.createElement('canvas');
reader.width = WIDTH;
reader.height = HEIGHT;
const readCtx = reader.getContext('2d', { willReadFrequently: true })!;

function readCode(): number {
  const rows = Y0 + 2 * BLOCK;
  const pixels = readCtx.getImageData(0, 0, WIDTH, rows).data;
  let code = 0;
  for (let b = 0; b < BITS; b++) {
    const cx = (b % 16) * BLOCK + X0 + BLOCK / 2;
    const cy = Y0 + Math.floor(b / 16) * BLOCK + BLOCK / 2;
    let luma = 0;
    for (let dy = -3; dy <= 3; dy += 3)
      for (let dx = -3; dx <= 3; dx += 3) {
        const i = ((cy + dy) * WIDTH + (cx + dx)) * 4;
        luma += 0.299 * pixels[i]! + 0.587 * pixels[i + 1]! + 0.114 * pixels[i + 2]!;
      }
    code = (code << 1) | (luma / 9 > 128 ? 1 : 0);
  }
  const v = code >> 8;
  return (((v >> 8) ^ (v & 0xff) ^ 0x5a) & 0xff) === (code & 0xff) ? v : -1;
}

const remoteTracks = new WeakSet<MediaStreamTrack>();
const readTracks = new Set<string>();
const watched = new WeakSet<HTMLVideoElement>();

function watch(video: HTMLVideoElement): void {
  if (watched.has(video)) return;
  watched.add(video);
  let misses = 0;
  let seen = false;
  const onFrame: VideoFrameRequestCallback = (_now, md) => {
    if (video.videoWidth > 0) {
      readCtx.drawImage(video, 0, 0, WIDTH, HEIGHT);
      const k = readCode();
      if (k >= 0) {
        seen = true;
        misses = 0;
        const track = (video.srcObject as MediaStream | null)?.getVideoTracks()[0];
        if (track) readTracks.add(track.id);
        probe.frames.push({
          k,
          receiveTime: md.receiveTime === undefined ? undefined : absolute(md.receiveTime),
          presentationTime: absolute(md.presentationTime),
          expectedDisplayTime: absolute(md.expectedDisplayTime),
        });
      } else {
        if (seen) probe.checksumFailures++;
        misses++;
      }
    }
    if (seen || misses < GIVE_UP_AFTER) video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this);
    this.addEventListener('track', (event: RTCTrackEvent) => remoteTracks.add(event.track));
  }
};
const isRemote = (track: MediaStreamTrack) =>
  remoteTracks.has(track) || pcs.some((pc) => pc.getReceivers().some((r) => r.track === track));

const hooked = onVideoStream((video, stream) => {
  if (stream.getVideoTracks().some(isRemote)) watch(video);
});
if (!hooked) errors.push('cannot hook HTMLMediaElement.srcObject');
