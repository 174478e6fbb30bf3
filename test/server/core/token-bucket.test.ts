import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedRateLimiter, TokenBucket } from '../../../server/core/token-bucket.js';
import { ManualClock } from '../../support/presence-fixtures.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the set rate and says when to retry', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 0.5 }, clock.now);
    for (let i = 0; i < 3; i++) assert.equal(bucket.take().ok, true);
    assert.deepEqual(bucket.take(), { ok: false, retryAfterSeconds: 2 });
    clock.advance(2000);
    assert.equal(bucket.take().ok, true);
    assert.equal(bucket.take().ok, false);
  });

  it('keeps one bucket per key', () => {
    const clock = new ManualClock();
    const limiter = new KeyedRateLimiter({ capacity: 1, refillPerSecond: 1 }, clock.now);
    assert.equal(limiter.take('alice').ok, true);
    assert.equal(limiter.take('alice').ok, false);
    assert.equal(limiter.take('bob').ok, true);
  });

  it('bounds the number of keys it remembers', () => {
    const clock = new ManualClock();
    const limiter = new KeyedRateLimiter({ capacity: 1, refillPerSecond: 1 }, clock.now, 2);
    for (const key of ['a', 'b', 'c', 'd']) assert.equal(limiter.take(key).ok, true);
  });
});
