// Finding 5 of the reliability review: a participant whose machine vanished stayed on everyone's screen for
// 81 s, though the SFU had dropped their session after 13 s. When their current SFU session is gone, the
// server pings their presence socket; no sign of life within a few seconds removes them. A live tab (it
// answers) and a participant who already moved to a newer session keep their place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import { startCoreHarness } from '../../support/presence-core-harness.js';

const owner = (userId: string) => ({ userId, room: 'A' });

describe('presence: SFU session gone', () => {
  it('removes a participant whose current session is gone and whose socket stays silent', async () => {
    const h = startCoreHarness();
    const ada = await h.join('ada');
    const bob = await h.join('bob');
    h.sessions.record('ada-session', owner('ada'));
    h.hub.sessionGone('ada-session');
    assert.equal(ada.transport.pings, 1, 'the server asks the socket for a sign of life');
    h.timers.advance(6_000, 500);
    await h.settle();
    assert.deepEqual(ada.transport.closeCodes, [PresenceCloseCode.heartbeatTimeout]);
    const left = bob.transport.sent.find((m) => m.type === 'participant-left');
    assert.ok(left?.type === 'participant-left' && left.participantId === 'ada', 'bob sees ada leave');
    assert.deepEqual(
      h.directory
        .room('A')
        .participants()
        .map((p) => p.id),
      ['bob'],
    );
  });

  it('keeps a live tab that answers the ping (its session is being replaced)', async () => {
    const h = startCoreHarness();
    const ada = await h.join('ada');
    const bob = await h.join('bob');
    h.sessions.record('ada-session', owner('ada'));
    h.hub.sessionGone('ada-session');
    h.timers.advance(200);
    ada.connection.touch(); // the pong
    h.timers.advance(10_000, 500);
    await h.settle();
    assert.deepEqual(ada.transport.closeCodes, []);
    assert.ok(!bob.transport.types.includes('participant-left'));
  });

  it('ignores an old session of a participant who already has a newer one', async () => {
    const h = startCoreHarness();
    const ada = await h.join('ada');
    h.sessions.record('ada-old', owner('ada'));
    h.timers.advance(1_000);
    h.sessions.record('ada-new', owner('ada'));
    h.hub.sessionGone('ada-old');
    h.hub.sessionGone('unknown-session');
    h.timers.advance(10_000, 500);
    await h.settle();
    assert.equal(ada.transport.pings, 0);
    assert.deepEqual(ada.transport.closeCodes, []);
  });

  it('keeps a throttled background tab whose SFU session is alive, however quiet, until the heartbeat timeout', async () => {
    const h = startCoreHarness();
    const ada = await h.join('ada');
    h.sessions.record('ada-session', owner('ada'));
    h.timers.advance(80_000, 5_000);
    h.hub.sweep();
    await h.settle();
    assert.deepEqual(ada.transport.closeCodes, []);
  });
});
