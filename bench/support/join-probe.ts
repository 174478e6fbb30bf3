// Browser side of the join benchmark, injected into every page before its own scripts (bundled by esbuild into
// an init script). Identical in all three variants, so the measurement costs the same everywhere:
// - t0: the `timeStamp` of the first trusted click after the harness arms the probe (recipe 3a, step 1);
// - the first remote frame: `requestVideoFrameCallback` on whichever `<video>` gets a stream holding a track
//   that arrived on an RTCPeerConnection, once `videoWidth > 0` (step 2);
// - phase marks from wrapped `fetch`, `WebSocket` and `RTCPeerConnection` (step 3), without touching page code;
// - fake camera kept small: every getUserMedia video request asks for 320×240 at 15 fps.
import { hookWebSockets, onVideoStream } from './page-hooks.js';

export interface FrameMark {
  /** rVFC `now`. */
  callback: number;
  expectedDisplayTime: number;
  presentationTime: number;
  receiveTime?: number;
  width: number;
  height: number;
  /** fetch() calls started before this frame. */
  fetches: number;
}

export interface JoinProbeResult {
  t0?: number;
  frame?: FrameMark;
  /** First occurrence of each phase, in ms after t0 (negative: before the click). */
  marks: Record<string, number>;
  stats: {
    pliCount?: number;
    firCount?: number;
    nackCount?: number;
    keyFramesDecoded?: number;
    framesDecoded?: number;
    frameWidth?: number;
    codec?: string;
  };
  fetches: number;
  /** Main-thread long tasks between the click and the first frame. */
  longTasks: { count: number; totalMs: number };
  errors: string[];
}

export interface OutboundVideoStats {
  pliCount?: number;
  firCount?: number;
  keyFramesEncoded?: number;
  framesEncoded?: number;
}

export interface JoinProbe {
  armed: boolean;
  t0?: number;
  frame?: FrameMark;
  /** Absolute `performance.now()` of the first occurrence of each phase. */
  marks: Record<string, number>;
  fetches: number;
  errors: string[];
  /** Whether any PeerConnection has sent video bytes (the publisher is live). */
  sendingVideo(): Promise<boolean>;
  /** The publisher's side: did it get keyframe requests, and encode keyframes? */
  outboundVideoStats(): Promise<OutboundVideoStats>;
  result(): Promise<JoinProbeResult>;
}

declare global {
  interface Window {
    __bench: JoinProbe;
  }
}

const SMALL_VIDEO = { width: 320, height: 240, frameRate: 15 };
const pcs: RTCPeerConnection[] = [];
const remoteTracks = new WeakSet<MediaStreamTrack>();
const watched = new WeakSet<HTMLVideoElement>();
const longTasks: PerformanceEntry[] = [];
try {
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({
    type: 'longtask',
    buffered: true,
  });
} catch {
  // no long-task timing in this browser
}

const probe: JoinProbe = {
  armed: false,
  marks: {},
  fetches: 0,
  errors: [],
  async sendingVideo() {
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      for (const s of report.values()) {
        if (s.type === 'outbound-rtp' && s.kind === 'video' && s.bytesSent > 0) return true;
      }
    }
    return false;
  },
  async outboundVideoStats() {
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      for (const s of report.values()) {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video') continue;
        const { pliCount, firCount, keyFramesEncoded, framesEncoded } = s;
        return { pliCount, firCount, keyFramesEncoded, framesEncoded };
      }
    }
    return {};
  },
  async result() {
    const t0 = probe.t0;
    const marks: Record<string, number> = {};
    if (t0 !== undefined) for (const [k, t] of Object.entries(probe.marks)) marks[k] = t - t0;
    const end = probe.frame?.callback ?? performance.now();
    const during = longTasks.filter((e) => t0 !== undefined && e.startTime >= t0 && e.startTime < end);
    return {
      longTasks: { count: during.length, totalMs: during.reduce((sum, e) => sum + e.duration, 0) },
      t0,
      frame: probe.frame,
      marks,
      stats: await inboundVideoStats(),
      fetches: probe.fetches,
      errors: probe.errors,
    };
  },
};
window.__bench = probe;

const mark = (name: string, at = performance.now()) => {
  if (probe.marks[name] === undefined) probe.marks[name] = at;
};

async function inboundVideoStats(): Promise<JoinProbeResult['stats']> {
  let best: JoinProbeResult['stats'] = {};
  for (const pc of pcs) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    for (const s of report.values()) {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video') continue;
      if ((s.framesDecoded ?? 0) < (best.framesDecoded ?? 0)) continue;
      const codec = s.codecId ? report.get(s.codecId) : undefined;
      best = {
        pliCount: s.pliCount,
        firCount: s.firCount,
        nackCount: s.nackCount,
        keyFramesDecoded: s.keyFramesDecoded,
        framesDecoded: s.framesDecoded,
        frameWidth: s.frameWidth,
        codec: codec?.mimeType,
      };
    }
  }
  return best;
}

// ---- t0: the join click ----
document.addEventListener(
  'click',
  (event) => {
    if (probe.armed && probe.t0 === undefined && event.isTrusted) probe.t0 = event.timeStamp;
  },
  { capture: true },
);

// ---- small fake camera ----
const media = navigator.mediaDevices;
if (media?.getUserMedia) {
  const getUserMedia = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const video = constraints?.video;
    const wanted = video ? { ...(typeof video === 'object' ? video : {}), ...SMALL_VIDEO } : video;
    const kind = video ? 'camera' : 'microphone';
    mark(`getUserMedia ${kind}`);
    const stream = await getUserMedia({ ...constraints, video: wanted });
    mark(`${kind} ready`);
    return stream;
  };
}

// ---- HTTP phases ----
const fetchLabel = (url: string, body: unknown): string | undefined => {
  if (url.includes('/api/call-token')) return 'token';
  if (url.includes('/generate-ice-servers')) return 'ice-servers';
  if (url.includes('/sessions/new')) return 'sessions/new';
  if (url.includes('/tracks/new'))
    return typeof body === 'string' && body.includes('"location":"remote"')
      ? 'pull tracks/new'
      : 'push tracks/new';
  if (url.includes('/renegotiate')) return 'renegotiate';
  if (url.includes('/tracks/update')) return 'tracks/update';
  if (url.includes('/datachannels/establish')) return 'datachannels/establish';
  if (url.includes('/datachannels/new')) return 'datachannels/new';
  return undefined;
};
const originalFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const label = fetchLabel(url, init?.body);
  probe.fetches++;
  if (label) mark(`${label} sent`);
  const response = await originalFetch(input, init);
  if (label) mark(`${label} answered`);
  return response;
};

// ---- presence WebSocket ----
hookWebSockets({
  created: () => mark('ws created'),
  open: () => mark('ws open'),
  received: (type) => mark(`ws ${type}`),
  sent: (data) => data.includes('"type":"publish"') && mark('ws sent publish'),
});

// ---- PeerConnections and remote tracks ----
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this);
    mark('pc created');
    this.addEventListener('connectionstatechange', () => {
      if (this.connectionState === 'connected') mark('pc connected');
    });
    // ICE and DTLS apart: which of the two handshakes the connect phase waits on.
    this.addEventListener('iceconnectionstatechange', () => {
      if (this.iceConnectionState === 'checking') mark('ice checking');
      if (this.iceConnectionState === 'connected') mark('ice connected');
    });
    this.addEventListener('track', (event: RTCTrackEvent) => {
      remoteTracks.add(event.track);
      if (event.track.kind === 'video') mark('remote video track');
    });
  }
};

const isRemote = (track: MediaStreamTrack) =>
  remoteTracks.has(track) || pcs.some((pc) => pc.getReceivers().some((r) => r.track === track));

function watchFirstFrame(video: HTMLVideoElement): void {
  if (watched.has(video)) return;
  watched.add(video);
  mark('remote video attached');
  const onFrame: VideoFrameRequestCallback = (now, md) => {
    if (probe.frame) return;
    if (video.videoWidth === 0) return void video.requestVideoFrameCallback(onFrame);
    probe.frame = {
      callback: now,
      expectedDisplayTime: md.expectedDisplayTime,
      presentationTime: md.presentationTime,
      receiveTime: md.receiveTime,
      width: md.width,
      height: md.height,
      fetches: probe.fetches,
    };
  };
  video.requestVideoFrameCallback(onFrame);
}

const hooked = onVideoStream((video, stream) => {
  if (stream.getVideoTracks().some(isRemote)) watchFirstFrame(video);
});
if (!hooked) probe.errors.push('cannot hook HTMLMediaElement.srcObject');
