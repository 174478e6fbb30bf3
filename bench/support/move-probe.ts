// Browser side of the breakout benchmark's phase breakdown, injected into the moving page before its own
// scripts (bundled by esbuild into an init script). It keeps a log of what happens on the page, stamped with
// `performance.now()`, from wrapped `WebSocket`, `fetch`, `RTCPeerConnection` and `srcObject`, without touching
// page code. The harness reads the log after each move (`window.__moveProbe.since(t0)`).
import { hookWebSockets, onVideoStream } from './page-hooks.js';

export interface MoveEvent {
  /** `performance.now()`. */
  readonly at: number;
  readonly what: string;
}

export interface InboundVideo {
  pliCount?: number;
  firCount?: number;
  nackCount?: number;
  keyFramesDecoded?: number;
  framesDecoded?: number;
}

export interface MoveProbe {
  readonly events: MoveEvent[];
  /** This page's SFU session, from the URL of its latest request (a pre-join connection may come first). */
  sessionId?: string;
  /** The events from `t0` on. */
  since(t0: number): MoveEvent[];
  /** The receive stats of the remote video track shown in `video` (a `<video>` in a tile). */
  inboundVideo(video: HTMLVideoElement): Promise<InboundVideo | undefined>;
}

declare global {
  interface Window {
    __moveProbe: MoveProbe;
  }
}

const pcs: RTCPeerConnection[] = [];
const remoteVideo = new WeakSet<MediaStreamTrack>();

const probe: MoveProbe = {
  events: [],
  since: (t0) => probe.events.filter((e) => e.at >= t0),
  async inboundVideo(video) {
    const track = video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks()[0] : undefined;
    const pc = track && pcs.find((p) => p.getReceivers().some((r) => r.track === track));
    if (!track || !pc) return undefined;
    const report = await pc.getStats(track);
    for (const s of report.values()) {
      if (s.type !== 'inbound-rtp') continue;
      const { pliCount, firCount, nackCount, keyFramesDecoded, framesDecoded } = s;
      return { pliCount, firCount, nackCount, keyFramesDecoded, framesDecoded };
    }
    return undefined;
  },
};
window.__moveProbe = probe;

const log = (what: string, at = performance.now()) => probe.events.push({ at, what });

// Main-thread tasks over 50 ms: what holds the page's handlers back.
try {
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) log(`long task ${task.duration.toFixed(0)} ms`, task.startTime);
  }).observe({ type: 'longtask' });
} catch {
  // no long-task timing in this browser
}

// ---- presence ----
hookWebSockets({
  received: (type) => log(`ws ${type}`),
  handled: (type) => log(`ws ${type} handled`),
  sent: (data) => data.includes('"type":"breakout"') && log('ws sent breakout'),
});

// ---- the SFU's HTTP API, through the call server's proxy ----
const fetchLabel = (url: string, body: unknown): string | undefined => {
  if (url.includes('/tracks/close')) return 'tracks/close';
  if (url.includes('/tracks/update')) return 'tracks/update';
  if (url.includes('/tracks/new'))
    return typeof body === 'string' && body.includes('"location":"remote"')
      ? 'pull tracks/new'
      : 'push tracks/new';
  if (url.includes('/renegotiate')) return 'renegotiate';
  return undefined;
};
const originalFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const label = fetchLabel(url, init?.body);
  probe.sessionId = /\/sessions\/([^/?]+)\//.exec(url)?.[1] ?? probe.sessionId;
  if (label) log(`${label} sent`);
  const response = await originalFetch(input, init);
  if (label) log(`${label} answered`);
  if (label === 'pull tracks/new') pullAnswers.add(response);
  return response;
};

// When the body of a pull's answer is read (by the page's request guard), and when partytracks has it parsed.
const pullAnswers = new WeakSet<Response>();
const responseText = Response.prototype.text;
Response.prototype.text = async function (this: Response) {
  const text = await responseText.call(this);
  if (pullAnswers.has(this)) log('pull answer body read');
  return text;
};
const responseJson = Response.prototype.json;
Response.prototype.json = async function (this: Response) {
  const json: unknown = await responseJson.call(this);
  if (pullAnswers.has(this)) log('pull answer body read');
  else if (typeof json === 'object' && json !== null && 'requiresImmediateRenegotiation' in json)
    log('an SFU answer parsed');
  return json;
};

// ---- PeerConnections and remote video ----
// Each negotiation step, from its call to its end: partytracks runs them one at a time.
for (const name of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription'] as const) {
  const proto = RTCPeerConnection.prototype as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  const original = proto[name];
  proto[name] = async function (this: RTCPeerConnection, ...args: unknown[]) {
    const type = (args[0] as RTCSessionDescriptionInit | undefined)?.type;
    const label = name.endsWith('Description') && type ? `${name}(${type})` : name;
    log(`${label} called`);
    const result = await original.apply(this, args);
    log(`${label} done`);
    return result;
  };
}
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this);
    this.addEventListener('track', (event: RTCTrackEvent) => {
      const { track } = event;
      if (track.kind !== 'video') return;
      remoteVideo.add(track);
      log('remote video track');
      // Chromium unmutes a remote track on its first RTP packet.
      if (track.muted) track.addEventListener('unmute', () => log('remote video unmuted'), { once: true });
    });
  }
};

onVideoStream((_video, stream) => {
  if (stream.getVideoTracks().some((t) => remoteVideo.has(t))) log('remote video attached');
});
