// A published track: the RTP a browser pushes on one m-line (one stream per simulcast RID), fanned out to
// the forwarders of every subscriber.
import type { MediaStreamTrack, RTCRtpCodecParameters, RTCRtpTransceiver, RtpPacket } from 'werift';
import { keyframeStart } from './keyframe.js';
import { PLI_THROTTLE_MS } from './limits.js';
import type { LayerView } from './simulcast.js';
import type { Timers } from './timers.js';

export interface Layer extends LayerView {
  ssrc?: number;
  lastPliAt: number;
  windowBytes: number;
  windowStart: number;
}

/** One incoming packet, as every forwarder sees it. */
export interface IncomingPacket {
  layer: Layer;
  rtp: RtpPacket;
  keyframe: boolean;
  now: number;
}

export interface PacketSink {
  onPacket(packet: IncomingPacket): void;
  /** The publication closed: stop forwarding for good. */
  onPublicationClosed(): void;
  /** The publisher's transport re-keyed and packets were lost: restart video on a keyframe. */
  restartOnKeyframe(): void;
}

export interface ForwardingCounters {
  packetsIn: number;
  packetsOut: number;
}

export class Publication {
  readonly layers = new Map<string, Layer>();
  readonly createdAt = Date.now();
  lastPacketAt = 0;
  closed = false;
  private readonly sinks = new Set<PacketSink>();
  private readonly disposers: (() => void)[] = [];
  private readonly mediaWaiters = new Set<(arrived: boolean) => void>();

  constructor(
    readonly sessionId: string,
    readonly trackName: string,
    readonly mid: string,
    readonly kind: 'audio' | 'video',
    readonly transceiver: RTCRtpTransceiver,
    /** The RIDs the publisher announced; empty without simulcast. */
    readonly rids: readonly string[],
    private readonly counters: ForwardingCounters,
  ) {
    this.disposers.push(transceiver.onTrack.subscribe((track) => this.attach(track)).unSubscribe);
    for (const track of transceiver.receiver.tracks) this.attach(track);
  }

  get key(): string {
    return publicationKey(this.sessionId, this.trackName);
  }

  /** The negotiated primary codec (publishers never negotiate RTX or RED with the SFU). */
  get codec(): RTCRtpCodecParameters {
    return this.transceiver.codecs[0];
  }

  get simulcast(): boolean {
    return this.rids.length > 0;
  }

  get sinkCount(): number {
    return this.sinks.size;
  }

  addSink(sink: PacketSink): void {
    if (this.closed) sink.onPublicationClosed();
    else this.sinks.add(sink);
  }

  removeSink(sink: PacketSink): void {
    this.sinks.delete(sink);
  }

  /** Resolves true once a packet has arrived, false after `ms` without one (or when closed). */
  waitForMedia(ms: number, timers: Timers): Promise<boolean> {
    if (this.lastPacketAt > 0) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (arrived: boolean) => {
        this.mediaWaiters.delete(done);
        cancel();
        resolve(arrived);
      };
      const cancel = timers.timeout(ms, () => done(false));
      this.mediaWaiters.add(done);
    });
  }

  /** Asks the publisher for a keyframe on one layer, at most once per throttle window. */
  requestKeyframe(rid: string, now = Date.now()): void {
    if (this.kind !== 'video' || this.closed) return;
    const layer = this.layers.get(rid);
    if (!layer?.ssrc || now - layer.lastPliAt < PLI_THROTTLE_MS) return;
    layer.lastPliAt = now;
    this.transceiver.receiver.sendRtcpPLI(layer.ssrc).catch(() => {});
  }

  restartSinksOnKeyframe(): void {
    for (const sink of this.sinks) sink.restartOnKeyframe();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    for (const waiter of [...this.mediaWaiters]) waiter(false);
    for (const sink of [...this.sinks]) sink.onPublicationClosed();
    this.sinks.clear();
  }

  private attach(track: MediaStreamTrack): void {
    const rid = track.rid ?? '';
    if (this.closed || this.layers.has(rid)) return;
    const layer: Layer = {
      rid,
      ssrc: track.ssrc,
      lastPacketAt: 0,
      bitrate: 0,
      lastPliAt: 0,
      windowBytes: 0,
      windowStart: Date.now(),
    };
    this.layers.set(rid, layer);
    this.disposers.push(track.onReceiveRtp.subscribe((rtp) => this.onRtp(layer, rtp)).unSubscribe);
  }

  private onRtp(layer: Layer, rtp: RtpPacket): void {
    if (this.closed) return;
    const now = Date.now();
    this.counters.packetsIn++;
    layer.lastPacketAt = now;
    layer.ssrc = rtp.header.ssrc;
    layer.windowBytes += rtp.payload.length;
    if (now - layer.windowStart >= 1000) {
      layer.bitrate = (layer.windowBytes * 1000) / (now - layer.windowStart);
      layer.windowBytes = 0;
      layer.windowStart = now;
    }
    if (this.lastPacketAt === 0) for (const waiter of [...this.mediaWaiters]) waiter(true);
    this.lastPacketAt = now;
    let keyframe = false;
    if (this.kind === 'video') {
      const info = keyframeStart(this.codec.mimeType, rtp.payload);
      if (info) {
        keyframe = true;
        if (info.width && info.height) layer.area = info.width * info.height;
      }
    }
    // werift hands every track listener its own clone; drop the publisher's header extensions so its ids
    // never leak into a subscriber's stream (werift's sender writes its own mid and transport-cc).
    rtp.header.extensions = [];
    const packet: IncomingPacket = { layer, rtp, keyframe, now };
    for (const sink of this.sinks) sink.onPacket(packet);
  }
}

export function publicationKey(sessionId: string, trackName: string): string {
  return `${sessionId}/${trackName}`;
}
