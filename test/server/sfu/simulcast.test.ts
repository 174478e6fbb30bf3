import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseLayer, type LayerView } from '../../../server/sfu/simulcast.js';

const now = 100_000;
const layer = (rid: string, area: number | undefined, bitrate: number, age = 0): LayerView => ({
  rid,
  area,
  bitrate,
  lastPacketAt: now - age,
});

test('an explicit preferredRid wins while that layer flows', () => {
  const layers = [layer('a', 640 * 480, 90_000), layer('b', 320 * 240, 30_000)];
  assert.equal(chooseLayer(layers, 'b', 'a', now), 'b');
  assert.equal(chooseLayer(layers, 'a', 'b', now), 'a');
});

test('"" or no preference picks the best flowing layer, by resolution when known', () => {
  const layers = [layer('a', 640 * 480, 90_000), layer('b', 320 * 240, 30_000)];
  assert.equal(chooseLayer(layers, '', undefined, now), 'a');
  assert.equal(chooseLayer(layers, undefined, 'b', now), 'a');
  const paused = [layer('a', 640 * 480, 90_000, 5_000), layer('b', 320 * 240, 30_000)];
  assert.equal(chooseLayer(paused, '', 'a', now), 'b');
});

test('a missing preferred layer keeps the current one, and never goes black', () => {
  const onlyB = [layer('a', 640 * 480, 0, 10_000), layer('b', 320 * 240, 30_000)];
  assert.equal(chooseLayer(onlyB, 'a', 'b', now), 'b');
  assert.equal(chooseLayer(onlyB, 'a', undefined, now), 'b');
  assert.equal(chooseLayer([], 'a', 'b', now), 'b');
});

test('by bitrate only a clearly better layer replaces a flowing one', () => {
  const close = [layer('a', undefined, 40_000), layer('b', undefined, 35_000)];
  assert.equal(chooseLayer(close, '', 'b', now), 'b');
  const far = [layer('a', undefined, 120_000), layer('b', undefined, 35_000)];
  assert.equal(chooseLayer(far, '', 'b', now), 'a');
});
