// The pre-roll of a simulcast publication, on a Forwarder with stand-ins for werift's sender and the
// publication: the kept keyframe's layer stays gap-free while the target layer moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCRtpSender, RtpPacket } from 'werift';
import { Forwarder } from '../../../server/sfu/forwarder.js';
import type { IncomingPacket, Publication } from '../../../server/sfu/publication.js';

function fakes() {
  const now = Date.now();
  const layers = new Map(['f', 'h'].map((rid) => [rid, { rid, lastPacketAt: now, bitrate: 1000 }]));
  const publication = {
    kind: 'video',
    simulcast: true,
    layers,
    codec: { clockRate: 90_000, mimeType: 'video/VP8' },
    addSink: () => {},
    removeSink: () => {},
    requestKeyframe: () => {},
  } as unknown as Publication;
  const sent: RtpPacket[] = [];
  const dtlsTransport = { state: 'new' };
  const sender = {
    stopped: false,
    codec: { payloadType: 96 },
    dtlsTransport,
    onPictureLossIndication: { subscribe: () => ({ unSubscribe: () => {} }) },
    sendRtp: async (rtp: RtpPacket) => void sent.push(rtp),
  } as unknown as RTCRtpSender;
  const counters = { packetsIn: 0, packetsOut: 0 };
  const packet = (rid: string, sequenceNumber: number, keyframe = false): IncomingPacket =>
    ({
      layer: layers.get(rid),
      rtp: { header: { sequenceNumber, timestamp: sequenceNumber * 3000 }, payload: Buffer.alloc(1) },
      keyframe,
      now: Date.now(),
    }) as unknown as IncomingPacket;
  return { publication, sender, sent, dtlsTransport, counters, packet };
}

test('the pre-roll keeps every packet of its keyframe layer while the target layer moves and back', () => {
  const { publication, sender, sent, dtlsTransport, counters, packet } = fakes();
  const forwarder = new Forwarder(publication, sender, 'f', counters as never);
  forwarder.onPacket(packet('f', 1, true));
  forwarder.onPacket(packet('f', 2));
  forwarder.setPreferredRid('h'); // e.g. the tile reported a small size for a moment
  forwarder.onPacket(packet('h', 501));
  forwarder.onPacket(packet('f', 3));
  forwarder.setPreferredRid('f');
  forwarder.onPacket(packet('f', 4));
  assert.equal(sent.length, 0, 'nothing goes out before the subscriber can receive');

  dtlsTransport.state = 'connected';
  forwarder.onWritable();
  assert.deepEqual(
    sent.map((rtp) => rtp.header.sequenceNumber),
    [1, 2, 3, 4],
    'the keyframe and every packet of its layer after it, no other layer',
  );
  forwarder.stop();
});

test('a keyframe of the target layer starts the pre-roll over', () => {
  const { publication, sender, sent, dtlsTransport, counters, packet } = fakes();
  const forwarder = new Forwarder(publication, sender, 'f', counters as never);
  forwarder.onPacket(packet('f', 1, true));
  forwarder.onPacket(packet('f', 2));
  forwarder.onPacket(packet('h', 501, true)); // not the target: ignored
  forwarder.onPacket(packet('f', 3, true));
  forwarder.onPacket(packet('f', 4));
  dtlsTransport.state = 'connected';
  forwarder.onWritable();
  assert.deepEqual(
    sent.map((rtp) => rtp.header.sequenceNumber),
    [3, 4],
  );
  forwarder.stop();
});
