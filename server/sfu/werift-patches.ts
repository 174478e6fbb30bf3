// Small, guarded changes to werift 0.25 internals that a browser-facing SFU needs. Each patch checks the
// shape it relies on and throws at start-up if a werift upgrade moved it, rather than failing silently.
//
// Why werift is patched in place rather than worked around (a browser moving its BUNDLE tag to a new
// transport, and connecting fast): server/sfu/README.md, "Closing the BUNDLE-tag track (mid 0)" and
// "Connecting fast". That README section is the one place for the BUNDLE-tag rationale.
// DTLS records that arrive before werift listens are kept by werift-early-dtls.ts, werift's DTLS server
// skips the HelloVerifyRequest round trip (werift-dtls-no-cookie.ts) and does X25519 natively
// (werift-native-x25519.ts), datagrams leave without waiting a tick (werift-sync-send.ts), application
// data's record numbers start after the handshake's (werift-dtls-sequence.ts), and what a session's socket
// accepts at all is werift-udp-gate.ts; applyWeriftPatches applies all. Other reads of werift internals are
// named functions in werift-internals.ts.
import {
  Connection,
  Event,
  RTCDtlsTransport,
  RTCRtpReceiver,
  RTCSctpTransport,
  rtpHeaderExtensionsParser,
  RTP_EXTENSION_URI,
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  type RtpPacket,
} from 'werift';
import type { FeedbackResult } from './bandwidth.js';
import { answerDtlsWithoutCookie } from './werift-dtls-no-cookie.js';
import { keepDtlsSequenceUnique } from './werift-dtls-sequence.js';
import { keepEarlyDtlsRecords } from './werift-early-dtls.js';
import { requireMethod } from './werift-guard.js';
import { recycleClosedMLines } from './werift-mline-recycling.js';
import { gateUdpSources } from './werift-udp-gate.js';
import { useNativeX25519 } from './werift-native-x25519.js';
import { sendDatagramsAtOnce } from './werift-sync-send.js';

const SUCCEEDED = 3;

interface PairLike {
  protocol: unknown;
  remoteAddr: [string, number];
  state: number;
  nominated: boolean;
  updateState(state: number): void;
}
interface StunMessageLike {
  attributesKeys: string[];
  getAttributeValue(name: 'USERNAME'): unknown;
}
interface IceConnectionInternals {
  iceLite: boolean;
  iceControlling: boolean;
  localUsername: string;
  nominated?: PairLike;
  checkList: PairLike[];
  checkIncoming(message: StunMessageLike, addr: [string, number], protocol: unknown): void;
  checkComplete(pair: PairLike): void;
}
interface DtlsSocketLike {
  onConnect: { subscribe(fn: () => void): unknown };
  onClose: { subscribe(fn: () => void): unknown; allUnsubscribe(): void };
}
interface DtlsTransportInternals {
  dtls?: DtlsSocketLike;
  start(): Promise<void>;
  verifyRemoteCertificateFingerprint(): void;
  updateSrtpSession(): void;
  setState(state: string): void;
}

let patched = false;

/** Applies the process-wide werift patches once. */
export function applyWeriftPatches(): void {
  if (patched) return;
  patchIceLiteSelection();
  patchDtlsRekey();
  disableReceiverTwcc();
  answerDtlsWithoutCookie();
  keepEarlyDtlsRecords();
  keepDtlsSequenceUnique();
  gateUdpSources();
  patchDataChannelFlush();
  useNativeX25519();
  sendDatagramsAtOnce();
  patched = true;
}

interface SctpTransportInternals {
  readonly isServer: boolean;
  dtlsTransport?: unknown;
  dataChannelId?: number;
  dataChannelFlush(): Promise<void>;
}

/**
 * werift picks the ids of in-band channels (the SFU's `server-events`) from `dataChannelId`, which it sets in
 * `start()`. With early DTLS records kept, the browser's SCTP association can come up before `start()` ran,
 * and the flush then read `undefined.toString()`: an unhandled rejection, which ends a Node process. The id
 * base is set exactly as `start()` sets it, and a failed flush is contained.
 */
function patchDataChannelFlush(): void {
  const proto = RTCSctpTransport.prototype as unknown as SctpTransportInternals;
  requireMethod(proto, 'dataChannelFlush', 'RTCSctpTransport');
  const original = proto.dataChannelFlush;
  proto.dataChannelFlush = function (this: SctpTransportInternals) {
    if (this.dataChannelId === undefined && this.dtlsTransport) this.dataChannelId = this.isServer ? 0 : 1;
    return original.call(this).catch(() => undefined);
  };
}

/**
 * How the ICE-lite agent picks the pair it sends on, which werift did once, on the first nomination:
 * - The first authenticated check selects its pair, as mediasoup's lite server does. Chrome sends its DTLS
 *   ClientHello ~5 ms after that check succeeds but nominates ~50 ms later; werift started DTLS only on the
 *   nomination and the handshake waited for Chrome's retransmission. The check's MESSAGE-INTEGRITY
 *   (werift-udp-gate.ts) and then the DTLS fingerprint authenticate the peer.
 * - The latest nomination wins: a USE-CANDIDATE check that succeeds on another pair makes that pair the
 *   selected one. RFC 8445 leaves renomination to the controlling agent; a lite agent that ignores it strands
 *   the session on a dead port when the browser switches transports.
 */
function patchIceLiteSelection(): void {
  const proto = Connection.prototype as unknown as IceConnectionInternals;
  requireMethod(proto, 'checkIncoming', 'Connection');
  requireMethod(proto, 'checkComplete', 'Connection');
  const original = proto.checkIncoming;
  proto.checkIncoming = function (this: IceConnectionInternals, message, addr, protocol) {
    original.call(this, message, addr, protocol);
    if (!this.iceLite || this.iceControlling) return;
    const sameAddress = (p: PairLike) =>
      p.protocol === protocol && p.remoteAddr[0] === addr[0] && p.remoteAddr[1] === addr[1];
    if (!this.nominated) {
      // Only checks with our ufrag and a valid MESSAGE-INTEGRITY get here (werift-udp-gate.ts).
      const username = message.getAttributeValue('USERNAME');
      if (typeof username !== 'string' || username.split(':')[0] !== this.localUsername) return;
      const pair = this.checkList.find(sameAddress);
      if (!pair) return;
      // werift's lite agent completes on a pair that is `nominated` and SUCCEEDED; the browser's own
      // nomination arrives on a later check and sets the same flags.
      pair.nominated = true;
      pair.updateState(SUCCEEDED);
      this.checkComplete(pair);
      return;
    }
    if (!message.attributesKeys.includes('USE-CANDIDATE')) return;
    // The pair this check just nominated. Not merely the first pair for the address: once the browser's SDP
    // lists its new port too, werift holds two pairs for it, the SDP candidate's (which a lite agent never
    // checks) and the peer-reflexive one the checks succeed on, and the first may be the unchecked one.
    const pair = this.checkList.find((p) => sameAddress(p) && p.nominated && p.state === SUCCEEDED);
    if (pair && pair !== this.nominated) this.nominated = pair;
  };
}

/** Transports whose peer sent a DTLS alert (e.g. close_notify) and has not handshaken again since. */
const alertedByPeer = new WeakSet<object>();
const rekeyListeners = new WeakMap<object, Set<() => void>>();

/** The browser ended the DTLS association and has not started a new one (yet): it may have left. */
export function dtlsClosedByPeer(transport: RTCDtlsTransport): boolean {
  return alertedByPeer.has(transport);
}

/** Calls `listener` after every DTLS handshake that re-keys `transport` (not the first one). */
export function onDtlsRekeyed(transport: RTCDtlsTransport, listener: () => void): () => void {
  let listeners = rekeyListeners.get(transport);
  if (!listeners) rekeyListeners.set(transport, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A DTLS handshake after the first one re-keys SRTP instead of being ignored. The remote certificate is
 * checked against the negotiated fingerprint again, so a stranger cannot take over the session.
 *
 * A peer's alert no longer ends the transport: werift would mark it `closed` for good and give the next
 * m-line a new transport, while a browser switching transports sends close_notify ~100 ms before its new
 * handshake (README, "Closing the BUNDLE-tag track"). The alert is only recorded (`dtlsClosedByPeer`, for
 * the garbage collector) until the next handshake clears it.
 */
function patchDtlsRekey(): void {
  const proto = RTCDtlsTransport.prototype as unknown as DtlsTransportInternals;
  for (const name of ['start', 'verifyRemoteCertificateFingerprint', 'updateSrtpSession', 'setState']) {
    requireMethod(proto, name, 'RTCDtlsTransport');
  }
  // DtlsSocket.onClose is one of werift's Events, created per socket.
  requireMethod(new Event(), 'allUnsubscribe', 'Event');
  const originalStart = proto.start;
  proto.start = async function (this: DtlsTransportInternals) {
    await originalStart.call(this);
    const dtls = this.dtls;
    if (!dtls) return;
    dtls.onClose.allUnsubscribe();
    dtls.onClose.subscribe(() => alertedByPeer.add(this));
    dtls.onConnect.subscribe(() => {
      try {
        this.verifyRemoteCertificateFingerprint();
        this.updateSrtpSession();
      } catch {
        this.setState('failed');
        return;
      }
      alertedByPeer.delete(this);
      this.setState('connected');
      for (const listener of rekeyListeners.get(this) ?? []) listener();
    });
  };
}

/**
 * werift's per-receiver TWCC generator reports transport-wide sequence numbers per m-line and misreports
 * gaps; Chrome's bandwidth estimate then never ramps. The SFU sends its own feedback (twcc.ts).
 */
function disableReceiverTwcc(): void {
  const proto = RTCRtpReceiver.prototype as unknown as { setupTWCC(ssrc: number): void };
  requireMethod(proto, 'setupTWCC', 'RTCRtpReceiver');
  proto.setupTWCC = () => {};
}

interface RouterInternals {
  ssrcTable: Record<number, unknown>;
  ridTable: Record<string, unknown>;
  extIdUriMap: Record<number, string>;
  registerRtpReceiver(receiver: unknown, ssrc: number): void;
  registerRtpReceiverByRid(transceiver: RTCRtpTransceiver, param: { rid: string }, params: unknown): void;
  routeRtp(packet: RtpPacket): void;
  routeRtcp(packet: RtcpLike): void;
}
interface RtcpLike {
  type: number;
  feedback?: TwccFeedbackInternals & { count?: number };
}
/** werift's parsed transport-wide CC feedback (rtcp/rtpfb/twcc.ts). */
interface TwccFeedbackInternals {
  baseSequenceNumber: number;
  packetStatusCount: number;
  referenceTime: number;
  packetChunks: ({ runLength: number; packetStatus: number } | { symbolList: number[] })[];
  recvDeltas: { delta: number }[];
}
const RTPFB = 205;
const TRANSPORT_WIDE_CC = 15;
const RECEIVED_SMALL_DELTA = 1;
const RECEIVED_LARGE_DELTA = 2;

/**
 * Which packets one transport-wide CC feedback reports as received, and when (werift's own `packetResults`
 * skips status-vector chunks, which Chrome sends most of the time).
 */
export function twccFeedbackResults(feedback: TwccFeedbackInternals): FeedbackResult[] {
  const statuses: number[] = [];
  for (const chunk of feedback.packetChunks) {
    if ('symbolList' in chunk) statuses.push(...chunk.symbolList);
    else for (let i = 0; i < chunk.runLength; i++) statuses.push(chunk.packetStatus);
  }
  let at = feedback.referenceTime * 64;
  let delta = 0;
  return statuses.slice(0, feedback.packetStatusCount).map((status, i) => {
    const sequenceNumber = (feedback.baseSequenceNumber + i) & 0xffff;
    if (status !== RECEIVED_SMALL_DELTA && status !== RECEIVED_LARGE_DELTA) return { sequenceNumber };
    at += (feedback.recvDeltas[delta++]?.delta ?? 0) / 1000; // µs
    return { sequenceNumber, receivedAtMs: at };
  });
}
interface ReceiverInternals {
  trackBySSRC: Record<number, unknown>;
  latestRid?: string;
  sdesMid?: string;
  handleRtpBySsrc(packet: RtpPacket, extensions: Record<string, unknown>): void;
  handleRtpByRid(packet: RtpPacket, rid: string, extensions: Record<string, unknown>): void;
}
interface TransceiverManagerInternals {
  findReusableTransceiver(kind: string): unknown;
}

/**
 * Per-PeerConnection adjustments:
 * - Every RTP packet's transport-wide sequence number goes to `onTransportSequence` (TWCC feedback).
 * - Every transport-wide CC feedback from the browser (on what the SFU sent it) goes to `onTransportFeedback`.
 * - RID routing keyed by (mid, rid): werift keys it by RID alone, so two simulcast tracks in one session
 *   (camera and screen share, both `a`/`b`) would collide.
 * - A new pull may take over a closed m-line, but never the BUNDLE tag's or one before it
 *   (werift-mline-recycling.ts).
 */
export function adaptPeerConnection(
  pc: RTCPeerConnection,
  onTransportSequence: (sequenceNumber: number, ssrc: number) => void,
  onTransportFeedback: (results: FeedbackResult[]) => void = () => {},
): void {
  const manager = (pc as unknown as { transceiverManager: TransceiverManagerInternals }).transceiverManager;
  const router = (pc as unknown as { router: RouterInternals }).router;
  // Everything checked before anything is changed, so a moved method never leaves a half-patched peer.
  requireMethod(manager, 'findReusableTransceiver', 'TransceiverManager');
  for (const name of ['registerRtpReceiverByRid', 'registerRtpReceiver', 'routeRtp', 'routeRtcp']) {
    requireMethod(router, name, 'RtpRouter');
  }

  const byMidAndRid = new Map<string, ReceiverInternals>();
  recycleClosedMLines(pc, (previous) => {
    for (const [key, receiver] of byMidAndRid) if (receiver === previous.receiver) byMidAndRid.delete(key);
  });
  const registerByRid = router.registerRtpReceiverByRid.bind(router);
  router.registerRtpReceiverByRid = (transceiver, param, params) => {
    registerByRid(transceiver, param, params);
    byMidAndRid.set(`${transceiver.mid}\n${param.rid}`, transceiver.receiver as unknown as ReceiverInternals);
  };
  const routeRtcp = router.routeRtcp.bind(router);
  router.routeRtcp = (packet) => {
    const feedback = packet.feedback;
    if (
      packet.type === RTPFB &&
      feedback?.count === TRANSPORT_WIDE_CC &&
      Array.isArray(feedback.packetChunks)
    ) {
      onTransportFeedback(twccFeedbackResults(feedback));
    }
    routeRtcp(packet);
  };
  router.routeRtp = (packet) => {
    const extensions = rtpHeaderExtensionsParser(packet.header.extensions, router.extIdUriMap) as Record<
      string,
      unknown
    >;
    const rid = extensions[RTP_EXTENSION_URI.sdesRTPStreamID];
    const mid = extensions[RTP_EXTENSION_URI.sdesMid];
    const ssrc = packet.header.ssrc;
    const transportSequence = extensions[RTP_EXTENSION_URI.transportWideCC];
    if (typeof transportSequence === 'number') onTransportSequence(transportSequence, ssrc);
    let receiver: ReceiverInternals | undefined;
    if (typeof rid === 'string') {
      receiver =
        (typeof mid === 'string' ? byMidAndRid.get(`${mid}\n${rid}`) : undefined) ??
        (router.ridTable[rid] as ReceiverInternals | undefined);
      if (!receiver) return;
      if (router.ssrcTable[ssrc] !== receiver) router.registerRtpReceiver(receiver, ssrc);
      receiver.latestRid = rid;
      receiver.handleRtpByRid(packet, rid, extensions);
    } else {
      receiver = router.ssrcTable[ssrc] as ReceiverInternals | undefined;
      if (!receiver || typeof receiver.handleRtpBySsrc !== 'function') return;
      receiver.handleRtpBySsrc(packet, extensions);
    }
    if (typeof mid === 'string') receiver.sdesMid = mid;
  };
}
