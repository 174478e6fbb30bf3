// Finding 6 of the reliability review: a presence socket must not outlive its token. It closes with 4440 at
// `exp` plus the clock tolerance, unless the client sent a fresh token for the same user and room in a
// `refresh` frame, which moves the deadline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOCK_TOLERANCE_SECONDS } from '../../../server/core/call-token.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import { PresenceErrorCode } from '../../../src/protocol/error-codes.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { testToken } from '../../support/presence-fixtures.js';
import { startCoreHarness } from '../../support/presence-core-harness.js';

const TOLERANCE_MS = CLOCK_TOLERANCE_SECONDS * 1000;

describe('presence: token expiry on open sockets', () => {
  it('closes the socket with 4440 at exp + the clock tolerance, and the others see the participant leave', async () => {
    const h = startCoreHarness();
    const ada = await h.join('ada', { ttlSeconds: 120 });
    const bob = await h.join('bob', { ttlSeconds: 3600 });
    h.timers.advance(120_000 + TOLERANCE_MS - 1_000, 1_000);
    assert.deepEqual(ada.transport.closeCodes, [], 'still inside the tolerance');
    h.timers.advance(2_000, 1_000);
    assert.deepEqual(ada.transport.closeCodes, [PresenceCloseCode.tokenExpired]);
    ada.connection.ended();
    await h.settle();
    assert.ok(bob.transport.types.includes('participant-left'));
    assert.deepEqual(bob.transport.closeCodes, [], 'a longer token is unaffected');
  });

  it('moves the deadline when a refresh frame brings a fresh token for the same user and room', async () => {
    const h = startCoreHarness();
    const ada = await h.join('ada', { ttlSeconds: 120 });
    h.timers.advance(100_000, 1_000);
    const fresh = await testToken('A', 'ada', h.clock.now, { ttlSeconds: 600 });
    ada.connection.receive(JSON.stringify({ v, type: 'refresh', token: fresh }));
    await ada.connection.idle;
    await h.settle();
    const ack = ada.transport.sent.at(-1);
    assert.equal(ack?.type, 'refreshed');
    assert.equal(ack?.type === 'refreshed' && ack.expiresAt, h.clock.now() + 600_000);
    h.timers.advance(300_000, 1_000);
    assert.deepEqual(ada.transport.closeCodes, [], 'the old deadline no longer applies');
    h.timers.advance(300_000 + TOLERANCE_MS + 1_000, 1_000);
    assert.deepEqual(ada.transport.closeCodes, [PresenceCloseCode.tokenExpired]);
  });

  it('refuses a refresh for another user, another room or a bad token, and keeps the old deadline', async () => {
    const h = startCoreHarness();
    const ada = await h.join('ada', { ttlSeconds: 120 });
    const refusals = [
      await testToken('A', 'mallory', h.clock.now, { ttlSeconds: 600 }),
      await testToken('B', 'ada', h.clock.now, { ttlSeconds: 600 }),
      'not-a-token',
    ];
    for (const token of refusals) {
      ada.connection.receive(JSON.stringify({ v, type: 'refresh', token }));
      await ada.connection.idle;
      await h.settle();
      const reply = ada.transport.sent.at(-1);
      assert.equal(reply?.type, 'error', token.slice(0, 12));
      assert.ok(
        reply?.type === 'error' &&
          [PresenceErrorCode.forbidden, PresenceErrorCode.invalidToken].includes(reply.code as never),
      );
    }
    assert.deepEqual(ada.transport.closeCodes, [], 'a refused refresh does not close the socket');
    h.timers.advance(120_000 + TOLERANCE_MS + 1_000, 1_000);
    assert.deepEqual(ada.transport.closeCodes, [PresenceCloseCode.tokenExpired]);
  });
});
