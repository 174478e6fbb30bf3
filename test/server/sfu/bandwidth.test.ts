import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RtcpPacketConverter, type RtcpTransportLayerFeedback } from 'werift';
import { BandwidthEstimator, type FeedbackResult } from '../../../server/sfu/bandwidth.js';
import { chooseLayer, type LayerView } from '../../../server/sfu/simulcast.js';
import { TwccResponder } from '../../../server/sfu/twcc.js';
import { twccFeedbackResults } from '../../../server/sfu/werift-patches.js';

test('transport-wide feedback as werift parses it: every packet, received or lost, with arrival times', () => {
  let nowUs = 5_000_000;
  const packets: Buffer[] = [];
  const responder = new TwccResponder(
    1,
    (p) => packets.push(p),
    () => nowUs,
  );
  responder.onPacket(65_530, 7); // sent at once: the first packet
  const arrived = [65_531, 65_533, 65_534, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]; // wraps; 65532, 65535, 11 lost
  for (const seq of arrived) {
    nowUs += 2_000;
    responder.onPacket(seq, 7);
  }
  nowUs += 60_000;
  responder.onPacket(13, 7);
  const results = packets.flatMap((buffer) => {
    const [rtcp] = RtcpPacketConverter.deSerialize(buffer) as RtcpTransportLayerFeedback[];
    return twccFeedbackResults(rtcp.feedback as never);
  });
  const received = results.filter((r) => r.receivedAtMs !== undefined).map((r) => r.sequenceNumber);
  const lost = results.filter((r) => r.receivedAtMs === undefined).map((r) => r.sequenceNumber);
  assert.deepEqual(received, [65_530, ...arrived, 13]);
  assert.deepEqual(lost, [65_532, 65_535, 11]);
  const times = results.filter((r) => r.receivedAtMs !== undefined).map((r) => r.receivedAtMs!);
  const steps = times.slice(1, -1).map((t, i) => Math.round((t - times[i]) * 4) / 4);
  assert.deepEqual(steps, [...Array(arrived.length).fill(2)], 'arrivals 2 ms apart');
});

test('with a budget, automatic choice takes the best layer that fits, and climbs only with headroom', () => {
  const now = 100_000;
  const layers: LayerView[] = [
    { rid: 'f', area: 1280 * 720, bitrate: 150_000, lastPacketAt: now },
    { rid: 'h', area: 640 * 360, bitrate: 62_500, lastPacketAt: now },
    { rid: 'q', area: 320 * 180, bitrate: 18_750, lastPacketAt: now },
  ];
  assert.equal(chooseLayer(layers, '', 'f', now, undefined), 'f', 'no estimate: the best');
  assert.equal(chooseLayer(layers, '', 'f', now, 800_000), 'h');
  assert.equal(chooseLayer(layers, '', 'h', now, 1_250_000), 'h', '1.2 Mbps fits, but without headroom');
  assert.equal(chooseLayer(layers, '', 'h', now, 1_400_000), 'f');
  assert.equal(chooseLayer(layers, '', 'f', now, 1_200_000), 'f', 'the current layer stays while it fits');
  assert.equal(chooseLayer(layers, '', 'h', now, 50_000), 'q', 'the lowest when nothing fits');
  assert.equal(chooseLayer(layers, 'f', 'h', now, 50_000), 'f', 'an explicit choice is not overruled');
});

/**
 * A subscriber behind a bottleneck of `capacityBps` (a 250 ms drop-tail queue, 20 ms each way) receiving a
 * three-layer camera through the automatic choice, with feedback every 50 ms as Chrome sends it. Answers
 * how long (in ms) each layer was forwarded after the first 10 s.
 */
function simulate(capacityBps: number, seconds = 60): Record<string, number> {
  const rates: Record<string, number> = { f: 1_200_000, h: 500_000, q: 150_000 };
  const layers: LayerView[] = Object.entries(rates).map(([rid, bps], i) => ({
    rid,
    area: 1280 * 720 * 4 ** -i,
    bitrate: bps / 8,
    lastPacketAt: 0,
  }));
  const estimator = new BandwidthEstimator();
  const PACKET_BYTES = 1_200;
  let current: string | undefined;
  let seq = 0;
  let queueFreeAt = 0;
  let credit = 0;
  const inFlight: { seq: number; arrival?: number; reportAt: number }[] = [];
  const time: Record<string, number> = { f: 0, h: 0, q: 0 };
  for (let now = 0; now < seconds * 1000; now++) {
    for (const l of layers) l.lastPacketAt = now;
    if (now % 250 === 0) current = chooseLayer(layers, '', current, now, estimator.estimateBps);
    if (now >= 10_000) time[current!]++;
    credit += rates[current!] / 8 / 1000;
    while (credit >= PACKET_BYTES) {
      credit -= PACKET_BYTES;
      const s = seq++ & 0xffff;
      estimator.onSent(s, PACKET_BYTES, now);
      const start = Math.max(now, queueFreeAt);
      if (start - now > 250) {
        inFlight.push({ seq: s, reportAt: now + 40 });
        continue;
      }
      queueFreeAt = start + (PACKET_BYTES * 8 * 1000) / capacityBps;
      inFlight.push({ seq: s, arrival: queueFreeAt + 20, reportAt: queueFreeAt + 40 });
    }
    if (now % 50 === 0) {
      const due = inFlight.filter((p) => p.reportAt <= now);
      const results: FeedbackResult[] = due.map((p) => ({ sequenceNumber: p.seq, receivedAtMs: p.arrival }));
      inFlight.splice(0, inFlight.length, ...inFlight.filter((p) => p.reportAt > now));
      estimator.onFeedback(results, now);
    }
  }
  return time;
}

test('the automatic choice follows the estimated downlink: the best layer that fits most of the time', () => {
  const wide = simulate(10_000_000);
  assert.ok(wide.f >= 49_000, `a wide link keeps the full layer: ${JSON.stringify(wide)}`);
  const mid = simulate(800_000);
  assert.ok(mid.h >= 0.7 * 50_000, `800 kbps: mostly the half layer: ${JSON.stringify(mid)}`);
  assert.ok(mid.f <= 0.2 * 50_000, `800 kbps: the full layer only while probing: ${JSON.stringify(mid)}`);
  const narrow = simulate(300_000);
  assert.ok(narrow.q >= 0.7 * 50_000, `300 kbps: mostly the quarter layer: ${JSON.stringify(narrow)}`);
});
