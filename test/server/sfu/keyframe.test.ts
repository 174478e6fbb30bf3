import assert from 'node:assert/strict';
import { test } from 'node:test';
import { h264KeyframeStart, vp8KeyframeStart } from '../../../server/sfu/keyframe.js';

// VP8 payload descriptor (X=1, S=1, PID=0; I=1 with a 15-bit picture id) + a keyframe header for 320x240.
const vp8Key = Uint8Array.from([
  0x90, 0x80, 0x80, 0x01, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00,
]);

test('VP8 keyframes are recognised on the first packet, with their size', () => {
  assert.deepEqual(vp8KeyframeStart(vp8Key), { width: 320, height: 240 });
  const delta = vp8Key.slice();
  delta[4] |= 0x01; // P bit: inter frame
  assert.equal(vp8KeyframeStart(delta), undefined);
  const continuation = vp8Key.slice();
  continuation[0] &= ~0x10; // not the start of a partition
  assert.equal(vp8KeyframeStart(continuation), undefined);
  assert.equal(vp8KeyframeStart(new Uint8Array(0)), undefined);
});

test('H264 IDR starts: single NAL, STAP-A with SPS, FU-A start; not FU-A middles or P slices', () => {
  assert.ok(h264KeyframeStart(Uint8Array.from([0x65, 0x88])));
  assert.ok(h264KeyframeStart(Uint8Array.from([0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce])));
  assert.ok(h264KeyframeStart(Uint8Array.from([0x7c, 0x85, 0x00])));
  assert.equal(h264KeyframeStart(Uint8Array.from([0x7c, 0x05, 0x00])), false);
  assert.equal(h264KeyframeStart(Uint8Array.from([0x41, 0x9a])), false);
});
