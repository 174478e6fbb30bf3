// Forwards one publication to one subscriber's sender: picks the simulcast layer, switches only on a
// keyframe of the new layer (werift's sender keeps sequence numbers and timestamps continuous), starts
// video on a keyframe, leaves out padding that carries no payload, and relays the subscriber's picture-loss
// requests to the publisher.
//
// Video starts fast: the keyframe is requested when the pull is made, and the frames from it on are kept
// (the pre-roll) until the subscriber can receive, since its negotiation, ICE and DTLS take about as long
// as a publisher needs to encode a keyframe.
import type { RTCRtpSender } from 'werift';
import { KEYFRAME_RETRY_MS, PREROLL_MAX_MS, PREROLL_MAX_PACKETS } from './limits.js';
import { PacketWriter } from './werift-packet-writer.js';
import type { ForwardingCounters, IncomingPacket, PacketSink, Publication } from './publication.js';
import { chooseLayer } from './simulcast.js';
import { keepSendCodec } from './werift-send-codec.js';

const TARGET_REFRESH_MS = 250;

/** The subscriber's downlink, as the forwarders to one session share it. */
export interface SubscriberLink {
  /** This forwarder's share of the estimated downlink in bits/s; undefined while unlimited. */
  budgetBps(): number | undefined;
  /** A packet went out with this transport-wide sequence number and size. */
  sent(transportSequence: number, bytes: number): void;
}

export class Forwarder implements PacketSink {
  stopped = false;
  private current: string | undefined;
  private target: string | undefined;
  private awaitingKeyframe: boolean;
  private lastTargetCheck = 0;
  private lastKeyframeRequest = 0;
  private lastSentAt = 0;
  /** Packets of the target layer from its newest keyframe on, kept while the subscriber cannot receive. */
  private preroll: IncomingPacket[] = [];
  /** The SFU's offer for this m-line is not answered yet: the browser cannot take packets on it. */
  private held = false;
  private readonly unsubscribePli: () => void;
  private readonly writer: PacketWriter;

  constructor(
    readonly publication: Publication,
    readonly sender: RTCRtpSender,
    private preferredRid: string | undefined,
    private readonly counters: ForwardingCounters,
    private readonly onClosed: () => void = () => {},
    private readonly link?: SubscriberLink,
  ) {
    this.awaitingKeyframe = publication.kind === 'video';
    keepSendCodec(sender, publication.codec);
    this.writer = new PacketWriter(sender, link && ((seq, bytes) => link.sent(seq, bytes)));
    this.unsubscribePli = sender.onPictureLossIndication.subscribe(() => this.relayPictureLoss()).unSubscribe;
    publication.addSink(this);
    this.requestStartKeyframe(Date.now());
  }

  /** The layer being forwarded ('' without simulcast), if any yet. */
  get currentRid(): string | undefined {
    return this.current;
  }

  setPreferredRid(rid: string | undefined): void {
    this.preferredRid = rid;
    this.lastTargetCheck = 0;
  }

  /** Holds packets back until `release`, while the m-line waits for the browser's answer. */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
  }

  /** After the subscriber's transport re-keyed: packets were lost, so restart on a keyframe. */
  restartOnKeyframe(): void {
    if (this.publication.kind !== 'video') return;
    this.awaitingKeyframe = true;
    this.lastKeyframeRequest = 0;
    this.preroll = [];
    this.onWritable();
  }

  /**
   * The subscriber can receive now (its transport connected, or the m-line was negotiated): start from the
   * pre-roll, or ask for the keyframe at once rather than at the publisher's next packet, a frame later.
   */
  onWritable(now = Date.now()): void {
    if (this.stopped || !this.awaitingKeyframe || !this.canSend()) return;
    if (this.sendPreroll(now)) return;
    this.requestStartKeyframe(now);
  }

  onPacket(packet: IncomingPacket): void {
    if (this.stopped) return;
    if (!this.canSend()) return this.keepForPreroll(packet);
    if (this.publication.kind !== 'video') return this.send(packet);
    if (this.awaitingKeyframe && this.preroll.length > 0) this.sendPreroll(packet.now);
    this.refreshTarget(packet.now);
    const rid = packet.layer.rid;
    const switching = this.awaitingKeyframe || this.target !== this.current;
    if (switching && rid === this.target) {
      if (packet.keyframe) {
        this.switchTo(rid, packet);
        return this.send(packet);
      }
      this.askForKeyframe(rid, packet.now);
    }
    if (rid === this.current && !this.awaitingKeyframe) this.send(packet);
  }

  onPublicationClosed(): void {
    this.stop();
    this.onClosed();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribePli();
    this.publication.removeSink(this);
  }

  private refreshTarget(now: number): void {
    if (this.target !== undefined && now - this.lastTargetCheck < TARGET_REFRESH_MS) return;
    this.lastTargetCheck = now;
    const next = this.publication.simulcast
      ? chooseLayer(
          [...this.publication.layers.values()],
          this.preferredRid,
          this.current,
          now,
          this.link?.budgetBps(),
        )
      : '';
    if (next !== this.target) this.lastKeyframeRequest = 0;
    this.target = next;
  }

  private switchTo(rid: string, packet: IncomingPacket): void {
    if (this.lastSentAt > 0 && rid !== this.current) {
      // A new source: werift re-bases sequence numbers and timestamps on the next packet it sends. Advance
      // the timestamp by the wall-clock gap so the receiver's jitter buffer sees real time pass.
      const clockRate = this.publication.codec.clockRate;
      const step = Math.max(1, Math.round(((packet.now - this.lastSentAt) * clockRate) / 1000));
      this.sender.replaceRTP(packet.rtp.header, false, step);
    }
    this.current = rid;
    this.awaitingKeyframe = false;
  }

  private canSend(): boolean {
    return !this.held && this.writer.canWrite();
  }

  private requestStartKeyframe(now: number): void {
    if (this.stopped || this.publication.kind !== 'video' || !this.awaitingKeyframe) return;
    this.refreshTarget(now);
    if (this.target !== undefined) this.askForKeyframe(this.target, now);
  }

  private keepForPreroll(packet: IncomingPacket): void {
    if (this.publication.kind !== 'video' || !this.awaitingKeyframe) return;
    this.refreshTarget(packet.now);
    if (packet.keyframe && packet.layer.rid === this.target) {
      this.preroll = [packet];
      return;
    }
    // Every packet of the kept keyframe's own layer follows it, whatever the target does meanwhile: automatic
    // layer choice can move between simulcast layers while a subscriber connects (their bitrates settle), and
    // a packet skipped then, or another layer's packet taken in, reaches the browser as a gap in the stream,
    // so its first picture waits for the next keyframe.
    const layer = this.preroll[0]?.layer.rid;
    if (layer === undefined || packet.layer.rid !== layer) return;
    if (this.preroll.length >= PREROLL_MAX_PACKETS) this.preroll = [];
    else this.preroll.push(packet);
  }

  /** Starts the subscriber on the kept keyframe and the frames after it; false when none is kept or it is stale. */
  private sendPreroll(now: number): boolean {
    const [keyframe, ...rest] = this.preroll;
    this.preroll = [];
    if (!keyframe || keyframe.layer.rid !== this.target) return false;
    if (now - keyframe.now > PREROLL_MAX_MS) {
      // Older frames would show the past and add their age to the stream's delay for good: ask anew.
      this.lastKeyframeRequest = 0;
      return false;
    }
    this.switchTo(keyframe.layer.rid, keyframe);
    this.send(keyframe);
    for (const packet of rest) this.send(packet);
    return true;
  }

  private askForKeyframe(rid: string, now: number): void {
    if (now - this.lastKeyframeRequest < KEYFRAME_RETRY_MS) return;
    this.lastKeyframeRequest = now;
    this.publication.requestKeyframe(rid, now);
  }

  private relayPictureLoss(): void {
    const rid = this.current ?? this.target;
    if (rid !== undefined) this.publication.requestKeyframe(rid);
  }

  private send(packet: IncomingPacket): void {
    // Padding with no payload (Chrome pads a camera that is off) carries nothing for the subscriber.
    if (packet.rtp.payload.length === 0 && packet.rtp.header.padding) return this.writer.skip(packet.rtp);
    this.lastSentAt = packet.now;
    this.counters.packetsOut++;
    this.writer.write(packet.rtp);
  }
}
