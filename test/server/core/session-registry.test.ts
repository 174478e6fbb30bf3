import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import { ManualClock } from '../../support/presence-fixtures.js';

describe('SessionRegistry', () => {
  it('binds a session to its creator and room, and never re-assigns it', () => {
    const registry = new SessionRegistry({ now: new ManualClock().now });
    registry.record('s1', { userId: 'alice', room: 'A' });
    registry.record('s1', { userId: 'mallory', room: 'A' });
    assert.equal(registry.isOwnedBy('s1', { userId: 'alice', room: 'A' }), true);
    assert.equal(registry.isOwnedBy('s1', { userId: 'mallory', room: 'A' }), false);
    assert.equal(registry.isOwnedBy('s1', { userId: 'alice', room: 'B' }), false);
    assert.equal(registry.isOwnedBy('nope', { userId: 'alice', room: 'A' }), false);
  });

  it('forgets expired sessions and caps sessions per user', () => {
    const clock = new ManualClock();
    const registry = new SessionRegistry({ now: clock.now, ttlMs: 1000, maxSessionsPerUser: 2 });
    const alice = { userId: 'alice', room: 'A' };
    for (const id of ['s1', 's2', 's3']) registry.record(id, alice);
    assert.equal(registry.ownerOf('s1'), undefined, 'oldest dropped beyond the per-user cap');
    assert.equal(registry.size, 2);
    clock.advance(1001);
    assert.equal(registry.ownerOf('s3'), undefined, 'expired');
  });

  it('keeps the digest of the session key a session was created with, as long as the session', () => {
    const clock = new ManualClock();
    const registry = new SessionRegistry({ now: clock.now, ttlMs: 1000 });
    registry.record('s1', { userId: 'alice', room: 'A' }, 'digest-1');
    registry.record('s1', { userId: 'alice', room: 'A' }, 'digest-2');
    registry.record('s2', { userId: 'alice', room: 'A' });
    assert.equal(registry.keyDigestOf('s1'), 'digest-1', 'never replaced');
    assert.equal(registry.keyDigestOf('s2'), undefined, 'created without a key');
    clock.advance(1001);
    assert.equal(registry.keyDigestOf('s1'), undefined, 'forgotten with the session');
  });
});
