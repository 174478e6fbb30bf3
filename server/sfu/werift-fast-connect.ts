// Two werift 0.25 patches that take the wait out of connecting a browser (measured with the join benchmark:
// ICE connected → DTLS connected went from ≈75 ms to ≈10 ms on loopback).
//
// Chrome considers a pair usable as soon as one of its checks gets a response, and sends its DTLS
// ClientHello ≈5 ms later. It nominates (USE-CANDIDATE) only on a later check, ≈50 ms on. werift's ICE-lite
// agent started DTLS on the nomination and dropped every DTLS record that arrived before, so the browser's
// first ClientHello was lost and the handshake waited for Chrome's retransmission timer.
import { Connection, RTCDtlsTransport } from 'werift';
import { requireMethod } from './werift-guard.js';

const SUCCEEDED = 3;
/** Records kept per connection until its DTLS transport starts: a fragmented ClientHello and a resend. */
const MAX_EARLY_RECORDS = 8;

interface PairLike {
  protocol: unknown;
  remoteAddr: [string, number];
  nominated: boolean;
  updateState(state: number): void;
}
interface StunMessageLike {
  attributesKeys: string[];
  getAttributeValue(name: 'USERNAME'): unknown;
}
interface ConnectionInternals {
  iceLite: boolean;
  iceControlling: boolean;
  localUsername: string;
  nominated?: PairLike;
  checkList: PairLike[];
  onData: { execute(data: Buffer): void };
  checkIncoming(message: StunMessageLike, addr: [string, number], protocol: unknown): void;
  checkComplete(pair: PairLike): void;
  ensureProtocol(protocol: ProtocolLike): void;
}
interface ProtocolLike {
  onDataReceived: { subscribe(fn: (data: Buffer) => void): unknown };
}
interface DtlsTransportInternals {
  dtls?: unknown;
  iceTransport: { connection: ConnectionInternals };
  start(): Promise<void>;
}

/** Applies both patches; called once from applyWeriftPatches. */
export function patchFastConnect(): void {
  selectOnFirstCheck();
  keepEarlyDtlsRecords();
}

/**
 * ICE-lite selects the pair of the first check that carries our ufrag, as mediasoup's lite server does, so
 * DTLS can start at once; the browser's nomination of another pair still moves the selection (see
 * patchIceLiteRenomination). The SFU only ever answers on that pair, and the DTLS fingerprint, not the ICE
 * pair, authenticates the peer.
 */
function selectOnFirstCheck(): void {
  const proto = Connection.prototype as unknown as ConnectionInternals;
  requireMethod(proto, 'checkIncoming', 'Connection');
  requireMethod(proto, 'checkComplete', 'Connection');
  const original = proto.checkIncoming;
  proto.checkIncoming = function (this: ConnectionInternals, message, addr, protocol) {
    original.call(this, message, addr, protocol);
    if (!this.iceLite || this.iceControlling || this.nominated) return;
    // werift answers checks without verifying MESSAGE-INTEGRITY; the ufrag at least comes from our SDP.
    const username = message.getAttributeValue('USERNAME');
    if (typeof username !== 'string' || username.split(':')[0] !== this.localUsername) return;
    const pair = this.checkList.find(
      (p) => p.protocol === protocol && p.remoteAddr[0] === addr[0] && p.remoteAddr[1] === addr[1],
    );
    if (!pair) return;
    // werift's lite agent completes on a pair that is `nominated` and SUCCEEDED; the browser's own
    // nomination arrives on a later check and sets the same flags.
    pair.nominated = true;
    pair.updateState(SUCCEEDED);
    this.checkComplete(pair);
  };
}

const earlyRecords = new WeakMap<object, Buffer[]>();
/** Connections whose DTLS transport has started: nothing is kept for them any more. */
const dtlsStarted = new WeakSet<object>();
const isDtlsRecord = (data: Buffer) => data.length > 0 && data[0] >= 20 && data[0] <= 63;

/**
 * DTLS records that arrive before the transport's DTLS endpoint exists are kept and handed to it when it
 * starts. For a subscriber, the SFU sends the offer, so the browser's checks and ClientHello can arrive
 * before its answer does, and werift starts ICE and DTLS only once the answer is applied.
 */
function keepEarlyDtlsRecords(): void {
  const connectionProto = Connection.prototype as unknown as ConnectionInternals;
  requireMethod(connectionProto, 'ensureProtocol', 'Connection');
  const ensureProtocol = connectionProto.ensureProtocol;
  connectionProto.ensureProtocol = function (this: ConnectionInternals, protocol) {
    ensureProtocol.call(this, protocol);
    if (!earlyRecords.has(this) && !dtlsStarted.has(this)) earlyRecords.set(this, []);
    protocol.onDataReceived.subscribe((data) => {
      const kept = earlyRecords.get(this);
      if (kept && isDtlsRecord(data) && kept.length < MAX_EARLY_RECORDS) kept.push(data);
    });
  };

  const dtlsProto = RTCDtlsTransport.prototype as unknown as DtlsTransportInternals;
  requireMethod(dtlsProto, 'start', 'RTCDtlsTransport');
  const start = dtlsProto.start;
  dtlsProto.start = function (this: DtlsTransportInternals) {
    // werift creates its DTLS endpoint synchronously at the top of start(); replay once it listens.
    const started = start.call(this);
    const connection = this.iceTransport.connection;
    const kept = earlyRecords.get(connection);
    earlyRecords.delete(connection);
    dtlsStarted.add(connection);
    if (this.dtls && kept) for (const record of kept) connection.onData.execute(record);
    return started;
  };
}
