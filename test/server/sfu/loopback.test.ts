import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopbackAddress } from '../../../server/sfu/loopback.js';

test('loopback means 127/8, ::1 and v4-mapped 127/8; names never count', () => {
  for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'])
    assert.ok(isLoopbackAddress(ip), ip);
  for (const ip of [
    '10.0.0.1',
    '192.168.1.5',
    '0.0.0.0',
    'localhost',
    'abc.local',
    '128.0.0.1',
    '',
    undefined,
  ]) {
    assert.equal(isLoopbackAddress(ip), false, String(ip));
  }
});
