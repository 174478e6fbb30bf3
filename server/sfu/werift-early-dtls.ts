// A werift 0.25 patch that takes a wait out of connecting a subscriber. The SFU sends a subscriber the offer,
// so the browser's checks and DTLS ClientHello can arrive before its answer does, and werift starts ICE and
// DTLS only once the answer is applied: it dropped those records, and the handshake waited for Chrome's
// retransmission timer. (The other half, starting DTLS on the first ICE check rather than the nomination, is
// patchIceLiteSelection in werift-patches.ts.)
import { Connection, RTCDtlsTransport } from 'werift';
import { requireMethod } from './werift-guard.js';

/** Records kept per connection until its DTLS transport starts: a fragmented ClientHello and a resend. */
const MAX_EARLY_RECORDS = 8;

interface ConnectionInternals {
  onData: { execute(data: Buffer): void };
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

const earlyRecords = new WeakMap<object, Buffer[]>();
/** Connections whose DTLS transport has started: nothing is kept for them any more. */
const dtlsStarted = new WeakSet<object>();
const isDtlsRecord = (data: Buffer) => data.length > 0 && data[0] >= 20 && data[0] <= 63;

/** DTLS records that arrive before the transport's DTLS endpoint exists are kept and handed to it when it starts. */
export function keepEarlyDtlsRecords(): void {
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
