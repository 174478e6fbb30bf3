import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RtcpPacketConverter, type RtcpTransportLayerFeedback, type TransportWideCC } from 'werift';
import { encodeChunks, TwccResponder } from '../../../server/sfu/twcc.js';

function collect(clockStart = 1_000_000_000) {
  let now = clockStart;
  const sent: Buffer[] = [];
  const responder = new TwccResponder(
    0x1234,
    (p) => sent.push(p),
    () => now,
  );
  return {
    sent,
    advance: (us: number) => (now += us),
    packet: (seq: number) => responder.onPacket(seq, 0xabcd),
  };
}

function parse(buffer: Buffer): TransportWideCC {
  const [packet] = RtcpPacketConverter.deSerialize(buffer) as RtcpTransportLayerFeedback[];
  return packet.feedback as TransportWideCC;
}

test('feedback covers every sequence number once, marks gaps, and carries the arrival deltas', () => {
  const t = collect();
  t.packet(100); // the first packet triggers an immediate feedback
  const arrivals = [101, 102, 104, 105, 108, 109, 110];
  for (const seq of arrivals) {
    t.advance(5_000);
    t.packet(seq);
  }
  t.advance(60_000);
  t.packet(111);
  assert.equal(t.sent.length, 2);
  const first = parse(t.sent[0]);
  assert.equal(first.baseSequenceNumber, 100);
  assert.equal(first.packetStatusCount, 1);
  const second = parse(t.sent[1]);
  assert.equal(second.baseSequenceNumber, 101);
  assert.equal(second.packetStatusCount, 11);
  assert.equal(second.recvDeltas.length, arrivals.length + 1, 'one delta per received packet');
  const deltasUs = second.recvDeltas.map((d) => d.delta);
  assert.deepEqual(deltasUs.slice(1, 7), [5_000, 5_000, 5_000, 5_000, 5_000, 5_000]);
  assert.equal(second.fbPktCount, 1);
});

test('sequence numbers wrap around 65535', () => {
  const t = collect();
  t.packet(65534);
  t.advance(1_000);
  t.packet(65535);
  t.advance(1_000);
  t.packet(0);
  t.advance(60_000);
  t.packet(1);
  const feedback = parse(t.sent[1]);
  assert.equal(feedback.baseSequenceNumber, 65535);
  assert.equal(feedback.packetStatusCount, 3);
});

test('chunks: long runs are run-length, mixed symbols are two-bit vectors', () => {
  assert.deepEqual(encodeChunks(new Array(20).fill(1)), [(1 << 13) | 20]);
  const mixed = encodeChunks([1, 0, 2, 1, 1, 0, 1]);
  assert.equal(mixed.length, 1);
  assert.equal(mixed[0] >> 14, 0b11);
});
