// The forwarding hot path against a real werift RTCRtpSender (only its DTLS transport is stubbed): it must
// leave the sender exactly as werift's own sendRtp would (NACK cache, report counters, continuity).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTCRtpSender, RtpHeader, RtpPacket } from 'werift';
import { PacketWriter } from '../../../server/sfu/werift-packet-writer.js';

function senderWithStubTransport() {
  const sent: RtpHeader[] = [];
  const sender = new RTCRtpSender('video');
  const internals = sender as unknown as Record<string, unknown>;
  internals.codec = { payloadType: 98, name: 'VP8' };
  internals.mid = '3';
  internals.headerExtensions = [
    { id: 4, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
    { id: 3, uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01' },
  ];
  internals.runRtcp = async () => {};
  internals.dtlsTransport = {
    state: 'connected',
    transportSequenceNumber: 10,
    bytesSent: 0,
    packetsSent: 0,
    srtp: {
      encrypt: (payload: Buffer, header: RtpHeader) => {
        sent.push(header);
        return Buffer.concat([header.serialize(header.serializeSize), payload]);
      },
    },
    iceTransport: { connection: { send: async () => {} } },
  };
  return { sender, sent, internals };
}

const packet = (sequenceNumber: number, timestamp: number) =>
  new RtpPacket(
    new RtpHeader({ payloadType: 96, sequenceNumber, timestamp, ssrc: 1234 }),
    Buffer.from([1, 2, 3]),
  );

test('writes with the sender’s SSRC, payload type and own extensions, and caches for NACK', () => {
  const { sender, sent, internals } = senderWithStubTransport();
  const writer = new PacketWriter(sender);
  assert.ok(writer.canWrite());
  writer.write(packet(100, 9000));
  const [header] = sent;
  assert.equal(header.ssrc, sender.ssrc);
  assert.equal(header.payloadType, 98);
  assert.equal(header.sequenceNumber, 100);
  assert.deepEqual(
    header.extensions.map((e) => e.id),
    [3, 4],
  );
  assert.equal(header.extensions[1].payload.toString(), '3');
  const cache = internals.rtpCache as RtpPacket[];
  assert.equal(cache[100 % 128].header.sequenceNumber, 100);
  assert.equal(internals.packetCount, 1);
});

test('after replaceRTP (a layer switch) sequence numbers and timestamps continue', () => {
  const { sender, sent } = senderWithStubTransport();
  const writer = new PacketWriter(sender);
  writer.write(packet(100, 9000));
  writer.write(packet(101, 12000));
  sender.replaceRTP({ sequenceNumber: 5000, timestamp: 777 }, false, 3000);
  writer.write(packet(5000, 777));
  writer.write(packet(5001, 3777));
  assert.deepEqual(
    sent.map((h) => [h.sequenceNumber, h.timestamp]),
    [
      [100, 9000],
      [101, 12000],
      [102, 15000],
      [103, 18000],
    ],
  );
});

test('padding left out closes up: the subscriber sees consecutive numbers, late packets keep theirs', () => {
  const { sender, sent } = senderWithStubTransport();
  const writer = new PacketWriter(sender);
  writer.skip(packet(99, 8000)); // nothing written yet: nothing to close up
  writer.write(packet(100, 9000));
  writer.skip(packet(102, 9000)); // padding after a packet still on its way
  writer.write(packet(101, 9000)); // the late one keeps its number
  writer.skip(packet(103, 9000));
  writer.write(packet(104, 12000));
  writer.skip(packet(101, 9000)); // an old one: no change
  writer.write(packet(105, 15000));
  assert.deepEqual(
    sent.map((h) => h.sequenceNumber),
    [100, 101, 102, 103],
  );
});

test('a layer switch after skipped padding continues right after the last packet written', () => {
  const { sender, sent } = senderWithStubTransport();
  const writer = new PacketWriter(sender);
  writer.write(packet(100, 9000));
  writer.skip(packet(101, 9000));
  writer.skip(packet(102, 9000));
  sender.replaceRTP({ sequenceNumber: 5000, timestamp: 777 }, false, 3000);
  writer.write(packet(5000, 777));
  writer.write(packet(5001, 3777));
  assert.deepEqual(
    sent.map((h) => h.sequenceNumber),
    [100, 101, 102],
  );
});
