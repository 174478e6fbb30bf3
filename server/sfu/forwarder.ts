// Forwards one publication to one subscriber's sender: picks the simulcast layer, switches only on a
// keyframe of the new layer (werift's sender keeps sequence numbers and timestamps continuous), starts
// video on a keyframe, and relays the subscriber's picture-loss requests to the publisher.
import type { RTCRtpSender } from 'werift';
import { KEYFRAME_RETRY_MS } from './limits.js';
import { PacketWriter } from './packet-writer.js';
import type { ForwardingCounters, IncomingPacket, PacketSink, Publication } from './publication.js';
import { chooseLayer } from './simulcast.js';

const TARGET_REFRESH_MS = 250;

export class Forwarder implements PacketSink {
  stopped = false;
  private current: string | undefined;
  private target: string | undefined;
  private awaitingKeyframe: boolean;
  private lastTargetCheck = 0;
  private lastKeyframeRequest = 0;
  private lastSentAt = 0;
  private readonly unsubscribePli: () => void;
  private readonly writer: PacketWriter;

  constructor(
    readonly publication: Publication,
    readonly sender: RTCRtpSender,
    private preferredRid: string | undefined,
    private readonly counters: ForwardingCounters,
    private readonly onClosed: () => void = () => {},
  ) {
    this.awaitingKeyframe = publication.kind === 'video';
    this.writer = new PacketWriter(sender);
    this.unsubscribePli = sender.onPictureLossIndication.subscribe(() => this.relayPictureLoss()).unSubscribe;
    publication.addSink(this);
  }

  /** The layer being forwarded ('' without simulcast), if any yet. */
  get currentRid(): string | undefined {
    return this.current;
  }

  setPreferredRid(rid: string | undefined): void {
    this.preferredRid = rid;
    this.lastTargetCheck = 0;
  }

  /** After the subscriber's transport re-keyed: packets were lost, so restart on a keyframe. */
  restartOnKeyframe(): void {
    if (this.publication.kind !== 'video') return;
    this.awaitingKeyframe = true;
    this.lastKeyframeRequest = 0;
    this.onWritable();
  }

  /**
   * The subscriber can receive now (its transport connected, or the m-line was negotiated): ask for the
   * keyframe video starts on at once, not when the publisher's next packet arrives, up to a frame later.
   */
  onWritable(now = Date.now()): void {
    if (this.stopped || !this.awaitingKeyframe || !this.writer.canWrite()) return;
    this.refreshTarget(now);
    if (this.target !== undefined) this.askForKeyframe(this.target, now);
  }

  onPacket(packet: IncomingPacket): void {
    if (this.stopped || !this.writer.canWrite()) return;
    if (this.publication.kind !== 'video') return this.send(packet);
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
      ? chooseLayer([...this.publication.layers.values()], this.preferredRid, this.current, now)
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
    this.lastSentAt = packet.now;
    this.counters.packetsOut++;
    this.writer.write(packet.rtp);
  }
}
