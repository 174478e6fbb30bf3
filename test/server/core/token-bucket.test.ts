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

  it('forgets keys whose buckets refilled, while keys still limited keep their state', () => {
    const clock = new ManualClock();
    const limiter = new KeyedRateLimiter({ capacity: 1, refillPerSecond: 1 }, clock.now);
    assert.equal(limiter.take('busy').ok, true);
    // A thousand one-off keys (one per joined session, say), each refilled a second later.
    for (let i = 0; i < 1_000; i++) {
      clock.advance(1_000);
      assert.equal(limiter.take('busy').ok, true, 'the busy key refills each second');
      limiter.take(`session-${i}`); // a sweep may run here, while the busy key's bucket is empty
    }
    assert.ok(limiter.size <= 101, `${limiter.size} keys held after 1,000 one-off keys`);
    assert.equal(limiter.take('busy').ok, false, 'the busy key kept its empty bucket through the sweeps');
  });
});
