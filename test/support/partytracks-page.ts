// Browser side of the SFU end-to-end tests: real partytracks in a page, driven from Node through
// `window.harness` (bundled at test start by test/support/sfu-e2e.ts). Media is checked the honest way:
// decoded frames, a non-zero videoWidth, an unmuted track, and audio samples from a playing element.
import { PartyTracks } from 'partytracks/client';
import { BehaviorSubject, of, type Observable, type Subscription } from 'rxjs';

type TrackMetadata = Parameters<PartyTracks['pull']>[0] extends Observable<infer T> ? T : never;

export interface PublishOptions {
  kind: 'audio' | 'video';
  width?: number;
  height?: number;
  /** Simulcast layers, highest first, e.g. [{rid:'a'},{rid:'b',scaleResolutionDownBy:2}]. */
  encodings?: RTCRtpEncodingParameters[];
  /** Restrict the offer to one video codec, e.g. 'video/H264'. */
  codec?: string;
}

export interface PullStats {
  kind: string;
  muted: boolean;
  readyState: string;
  framesDecoded: number;
  videoWidth: number;
  videoHeight: number;
  totalSamplesReceived: number;
  bytesReceived: number;
  /** The decoder's MIME type, e.g. video/VP8. */
  codec: string;
}

interface Pulled {
  subscription: Subscription;
  track?: MediaStreamTrack;
  element?: HTMLMediaElement;
  rid$: BehaviorSubject<string | undefined>;
}

const pushes = new Map<string, Subscription>();
const pulls = new Map<string, Pulled>();
let partyTracks: PartyTracks | undefined;
let sessionSubscription: Subscription | undefined;
/** After leave(), subscribing to partytracks' session would open a new one: diagnostics must not. */
let left = false;

const harness = {
  start(prefix: string): void {
    partyTracks = new PartyTracks({ prefix, iceServers: [] });
    sessionSubscription = partyTracks.session$.subscribe();
  },

  /** Pushes a fake camera or microphone track; resolves with the metadata a puller needs. */
  async publish(name: string, options: PublishOptions): Promise<TrackMetadata> {
    const pt = requirePartyTracks();
    const stream = await navigator.mediaDevices.getUserMedia(
      options.kind === 'video'
        ? { video: { width: options.width ?? 320, height: options.height ?? 240, frameRate: 15 } }
        : { audio: true },
    );
    const track = stream.getTracks()[0];
    if (options.codec) preferCodec(pt, track, options.codec);
    const metadata$ = pt.push(
      of(track),
      options.encodings ? { sendEncodings$: of(options.encodings) } : undefined,
    );
    return new Promise((resolve, reject) => {
      const subscription = metadata$.subscribe({ next: resolve, error: reject });
      pushes.set(name, subscription);
    });
  },

  unpublish(name: string): void {
    pushes.get(name)?.unsubscribe();
    pushes.delete(name);
  },

  /** Pulls a track and plays it in a media element; resolves once the track arrived. */
  pull(name: string, metadata: TrackMetadata, preferredRid?: string): Promise<void> {
    const pt = requirePartyTracks();
    const rid$ = new BehaviorSubject<string | undefined>(preferredRid);
    const options = preferredRid === undefined ? undefined : { simulcast: { preferredRid$: rid$ } };
    return new Promise((resolve, reject) => {
      const pulled: Pulled = { rid$, subscription: undefined as unknown as Subscription };
      pulled.subscription = pt.pull(of(metadata), options).subscribe({
        next: (track) => {
          pulled.track = track;
          pulled.element ??= document.body.appendChild(
            document.createElement(track.kind === 'video' ? 'video' : 'audio'),
          );
          pulled.element.muted = false;
          pulled.element.autoplay = true;
          pulled.element.srcObject = new MediaStream([track]);
          void pulled.element.play().catch(() => {});
          resolve();
        },
        error: reject,
      });
      pulls.set(name, pulled);
    });
  },

  setPreferredRid(name: string, rid: string): void {
    pulls.get(name)?.rid$.next(rid);
  },

  unpull(name: string): void {
    const pulled = pulls.get(name);
    pulled?.subscription.unsubscribe();
    pulled?.element?.remove();
    pulls.delete(name);
  },

  async stats(name: string): Promise<PullStats | undefined> {
    const pulled = pulls.get(name);
    const pc = await peerConnection();
    if (!pulled?.track || !pc) return undefined;
    const report = await pc.getStats(pulled.track);
    let inbound: Record<string, number> = {};
    let codecId = '';
    report.forEach((s: { type: string; codecId?: string }) => {
      if (s.type !== 'inbound-rtp') return;
      inbound = s as unknown as Record<string, number>;
      codecId = s.codecId ?? '';
    });
    const codec = (report.get(codecId) as { mimeType?: string } | undefined)?.mimeType ?? '';
    const video = pulled.element instanceof HTMLVideoElement ? pulled.element : undefined;
    return {
      kind: pulled.track.kind,
      muted: pulled.track.muted,
      readyState: pulled.track.readyState,
      framesDecoded: inbound.framesDecoded ?? 0,
      videoWidth: video?.videoWidth ?? 0,
      videoHeight: video?.videoHeight ?? 0,
      totalSamplesReceived: inbound.totalSamplesReceived ?? 0,
      bytesReceived: inbound.bytesReceived ?? 0,
      codec,
    };
  },

  /** Outbound video layers of this page (rid, size, fps, bitrate, limitation), for diagnostics. */
  async outbound(): Promise<Record<string, unknown>[]> {
    const pc = await peerConnection();
    if (!pc) return [];
    const report = await pc.getStats();
    const layers: Record<string, unknown>[] = [];
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        const {
          rid,
          frameWidth,
          framesPerSecond,
          bytesSent,
          qualityLimitationReason,
          active,
          targetBitrate,
        } = s;
        layers.push({
          rid,
          frameWidth,
          framesPerSecond,
          bytesSent,
          qualityLimitationReason,
          active,
          targetBitrate,
        });
      }
    });
    return layers;
  },

  async connectionState(): Promise<string> {
    return (await peerConnection())?.connectionState ?? 'none';
  },

  async sessionId(): Promise<string> {
    const pt = requirePartyTracks();
    if (left) throw new Error('left: no session');
    return new Promise((resolve) => {
      const sub = pt.session$.subscribe(({ sessionId }) => {
        resolve(sessionId);
        queueMicrotask(() => sub.unsubscribe());
      });
    });
  },

  /** partytracks' log of API requests and responses, for failure messages. */
  history(): unknown[] {
    return requirePartyTracks().history.entries;
  },

  leave(): void {
    for (const name of [...pulls.keys()]) harness.unpull(name);
    for (const name of [...pushes.keys()]) harness.unpublish(name);
    sessionSubscription?.unsubscribe();
    left = true;
  },
};

/** Sets codec preferences on the transceiver partytracks creates for `track`, before it makes its offer. */
function preferCodec(pt: PartyTracks, track: MediaStreamTrack, mimeType: string): void {
  const codecs = (RTCRtpReceiver.getCapabilities(track.kind)?.codecs ?? []).filter(
    (c) => c.mimeType.toLowerCase() === mimeType.toLowerCase(),
  );
  const subscription = pt.transceiver$.subscribe((transceiver) => {
    if (transceiver.sender.track !== track) return;
    transceiver.setCodecPreferences(codecs);
    queueMicrotask(() => subscription.unsubscribe());
  });
}

function requirePartyTracks(): PartyTracks {
  if (!partyTracks) throw new Error('harness.start() first');
  return partyTracks;
}

function peerConnection(): Promise<RTCPeerConnection | undefined> {
  const pt = partyTracks;
  if (!pt || left) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const sub = pt.peerConnection$.subscribe((pc) => {
      resolve(pc);
      queueMicrotask(() => sub.unsubscribe());
    });
  });
}

export type Harness = typeof harness;
declare global {
  interface Window {
    harness: Harness;
  }
}
window.harness = harness;
