// The forwarding hot path: writes one forwarded RTP packet on a werift sender, synchronously. werift's own
// `sendRtp` copies the payload, walks five async layers and rebuilds its NTP time from strings for every
// packet; at a 20-way fan-out that was most of the SFU's CPU. This writer does the same work once, shares
// the payload between senders, and keeps werift's sender state (NACK cache, sender-report counters,
// sequence/timestamp continuity after `replaceRTP`) exactly as `sendRtp` would leave it. If werift ever
// changes shape, it falls back to `sendRtp`.
import { ntpTime, RtpHeader, RtpPacket, type RTCRtpSender } from 'werift';

const RTP_HISTORY_SIZE = 128; // werift's NACK cache size (rtpSender.ts)
const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

interface DtlsInternals {
  state: string;
  srtp?: { encrypt(payload: Buffer, header: RtpHeader): Buffer };
  transportSequenceNumber: number;
  bytesSent: number;
  packetsSent: number;
  iceTransport: { connection: { send(data: Buffer): Promise<void> } };
}

interface SenderInternals {
  ssrc: number;
  mid?: string;
  stopped: boolean;
  codec?: { payloadType: number };
  headerExtensions: { id: number; uri: string }[];
  dtlsTransport?: DtlsInternals;
  sequenceNumber?: number;
  timestamp?: number;
  seqOffset: number;
  timestampOffset: number;
  rtpContinuityPending: boolean;
  pendingTimestampStep: number;
  rtpCache: RtpPacket[];
  packetCount: number;
  octetCount: number;
  headerBytesSent: number;
  rtpTimestamp: number;
  ntpTimestamp: bigint;
  runRtcp(): Promise<void>;
}

let cachedNtp = { ms: -1, value: 0n };
/** werift's NTP time for sender reports, computed at most once per millisecond. */
function ntpNow(): bigint {
  const ms = Math.floor(performance.now());
  if (ms !== cachedNtp.ms) cachedNtp = { ms, value: ntpTime() };
  return cachedNtp.value;
}

function hasExpectedShape(sender: SenderInternals): boolean {
  return (
    Array.isArray(sender.rtpCache) &&
    typeof sender.seqOffset === 'number' &&
    typeof sender.timestampOffset === 'number' &&
    typeof sender.rtpContinuityPending === 'boolean' &&
    typeof sender.runRtcp === 'function' &&
    Array.isArray(sender.headerExtensions)
  );
}

/** Whether 16-bit sequence number `a` comes after `b` (RFC 3550 serial arithmetic). */
function isNewer(a: number, b: number): boolean {
  const distance = (a - b) & 0xffff;
  return distance !== 0 && distance < 0x8000;
}

/** Skip points remembered for packets that arrive late (reordered) across them. */
const MAX_SKIPS = 32;

export class PacketWriter {
  private readonly sender: SenderInternals;
  private readonly fastPath: boolean;
  private rtcpStarted = false;
  /** The newest source sequence number written or skipped since the last re-base. */
  private newestSource: number | undefined;
  /** Source numbers left out, oldest first, each with the offset that numbered the packets before it. */
  private skips: { source: number; offsetBefore: number }[] = [];

  constructor(
    private readonly werift: RTCRtpSender,
    /** Each packet sent with a transport-wide sequence number, and its size (for the downlink estimate). */
    private readonly onSent?: (transportSequence: number, bytes: number) => void,
  ) {
    this.sender = werift as unknown as SenderInternals;
    this.fastPath = hasExpectedShape(this.sender);
  }

  /** True once DTLS is up and the codec is negotiated (werift drops packets before that). */
  canWrite(): boolean {
    const s = this.sender;
    return !s.stopped && s.dtlsTransport?.state === 'connected' && !!s.codec;
  }

  /** Sends `rtp` (never modified; its payload may be shared with other writers). */
  write(rtp: RtpPacket): void {
    const s = this.sender;
    const dtls = s.dtlsTransport;
    if (!this.fastPath || !dtls?.srtp) {
      this.werift.sendRtp(rtp).catch(() => {});
      return;
    }
    if (!this.canWrite()) return;
    const source = rtp.header;
    if (s.rtpContinuityPending) {
      // After replaceRTP (a layer switch): continue right after the last packet sent, as werift does.
      if (s.sequenceNumber !== undefined && s.timestamp !== undefined) {
        s.seqOffset = (s.sequenceNumber + 1 - source.sequenceNumber) & 0xffff;
        s.timestampOffset = (s.timestamp + s.pendingTimestampStep - source.timestamp) >>> 0;
      }
      s.rtpContinuityPending = false;
      s.pendingTimestampStep = 1;
      this.skips = [];
      this.newestSource = undefined;
    }
    if (this.newestSource === undefined || isNewer(source.sequenceNumber, this.newestSource))
      this.newestSource = source.sequenceNumber;
    const sequenceNumber = (source.sequenceNumber + this.offsetFor(source.sequenceNumber)) & 0xffff;
    const timestamp = (source.timestamp + s.timestampOffset) >>> 0;
    const extensions: { id: number; payload: Buffer }[] = [];
    let transportSequence: number | undefined;
    for (const extension of s.headerExtensions) {
      if (extension.uri === MID_URI && s.mid)
        extensions.push({ id: extension.id, payload: Buffer.from(s.mid) });
      else if (extension.uri === TWCC_URI) {
        dtls.transportSequenceNumber = (dtls.transportSequenceNumber + 1) & 0xffff;
        transportSequence = dtls.transportSequenceNumber;
        const twcc = Buffer.alloc(2);
        twcc.writeUInt16BE(dtls.transportSequenceNumber);
        extensions.push({ id: extension.id, payload: twcc });
      }
    }
    extensions.sort((a, b) => a.id - b.id);
    const header = new RtpHeader({
      payloadType: s.codec!.payloadType,
      marker: source.marker,
      sequenceNumber,
      timestamp,
      ssrc: s.ssrc,
      extensions,
    });
    const packet = new RtpPacket(header, rtp.payload);
    s.sequenceNumber = sequenceNumber;
    s.timestamp = timestamp;
    s.rtpTimestamp = timestamp;
    s.ntpTimestamp = ntpNow();
    s.octetCount += rtp.payload.length;
    s.headerBytesSent += header.serializeSize;
    s.packetCount = (s.packetCount + 1) >>> 0;
    s.rtpCache[sequenceNumber % RTP_HISTORY_SIZE] = packet;
    const encrypted = dtls.srtp.encrypt(rtp.payload, header);
    dtls.bytesSent += encrypted.length;
    dtls.packetsSent++;
    dtls.iceTransport.connection.send(encrypted).catch(() => {});
    if (transportSequence !== undefined) this.onSent?.(transportSequence, encrypted.length);
    if (!this.rtcpStarted) {
      this.rtcpStarted = true;
      void s.runRtcp(); // sender reports, as werift starts them on its first packet
    }
  }

  /**
   * Leaves `rtp` out and numbers the packets after it one lower, so the subscriber sees no gap to report as
   * loss (and NACK). For padding with no payload: Chrome pads a simulcast layer's own stream while its camera
   * is off or before its first frame, and forwarding that sends nothing but load. Only a packet newer than all
   * before it is closed up; a late one leaves its number unused.
   */
  skip(rtp: RtpPacket): void {
    const s = this.sender;
    const source = rtp.header.sequenceNumber;
    if (!this.fastPath || s.rtpContinuityPending || this.newestSource === undefined) return;
    if (!isNewer(source, this.newestSource)) return;
    this.newestSource = source;
    this.skips.push({ source, offsetBefore: s.seqOffset });
    if (this.skips.length > MAX_SKIPS) this.skips.shift();
    s.seqOffset = (s.seqOffset - 1) & 0xffff;
  }

  /** The offset that numbers source packet `source`: the one in force before any later skip. */
  private offsetFor(source: number): number {
    const last = this.skips.at(-1);
    // Nearly every packet comes after the last skip: only a late one looks further back.
    if (!last || isNewer(source, last.source)) return this.sender.seqOffset;
    for (const skip of this.skips) if (isNewer(skip.source, source)) return skip.offsetBefore;
    return this.sender.seqOffset;
  }
}
