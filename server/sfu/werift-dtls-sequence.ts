// A werift 0.25 patch that keeps the SFU's DTLS record sequence numbers unique after the handshake.
// werift sends its Finished in epoch 1 with the epoch-0 record counter (the Nth record of the handshake gets
// sequence number N, 8 or so), then resets the counter and numbers application data 1, 2, 3… in the same
// epoch. The browser's replay check (RFC 6347 §4.1.2.6) has seen epoch 1's N already, so it silently drops the
// SFU's Nth SCTP packet: a chat message, a DataChannel open or a SACK, recovered only by a retransmission
// timer ~0.4-1 s later (found by the chat benchmark, bench/README.md). Application data now starts after the
// Finished's number. Sequence numbers may skip (the replay window only moves forward).
import { RTCDtlsTransport } from 'werift';
import { requireMethod } from './werift-guard.js';

/** The part of werift's DtlsContext this patch reads and moves. */
export interface DtlsRecordCounter {
  epoch: number;
  recordSequenceNumber: number;
  /** The last handshake flight werift sent, one serialized record each; the Finished is the last. */
  lastMessage: unknown[];
}

interface DtlsSocketInternals {
  dtls?: DtlsRecordCounter;
  onConnect: { subscribe(fn: () => void): unknown };
}
interface DtlsTransportInternals {
  dtls?: DtlsSocketInternals;
  start(): Promise<void>;
}

/** DTLS record header: type (1), version (2), epoch (2), sequence number (6), length (2). */
const RECORD_HEADER_BYTES = 13;

/**
 * Moves the application-data counter past the Finished record werift just sent in the current epoch, so the
 * next record gets a number the peer has not seen. Returns the Finished's number, or undefined when the last
 * flight does not end with a record of the current epoch (nothing to skip).
 */
export function continueAfterFinished(context: DtlsRecordCounter): number | undefined {
  const finished = context.lastMessage.at(-1);
  if (!Buffer.isBuffer(finished) || finished.length < RECORD_HEADER_BYTES) return undefined;
  if (finished.readUInt16BE(3) !== context.epoch) return undefined;
  const sequence = finished.readUIntBE(5, 6);
  context.recordSequenceNumber = Math.max(context.recordSequenceNumber, sequence);
  return sequence;
}

/** After every DTLS handshake (the first one and each re-key), application data continues past the Finished. */
export function keepDtlsSequenceUnique(): void {
  const proto = RTCDtlsTransport.prototype as unknown as DtlsTransportInternals;
  requireMethod(proto, 'start', 'RTCDtlsTransport');
  const start = proto.start;
  proto.start = function (this: DtlsTransportInternals) {
    // werift creates its DTLS endpoint synchronously at the top of start(), and sends nothing on it before
    // `onConnect` runs its listeners; this one runs in the same turn as werift's own.
    const started = start.call(this);
    const socket = this.dtls;
    socket?.onConnect.subscribe(() => {
      if (socket.dtls) continueAfterFinished(socket.dtls);
    });
    return started;
  };
}
