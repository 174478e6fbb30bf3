import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { PresenceEffect } from '../../../server/core/presence-effects.js';
import { PresenceDirectory } from '../../../server/core/presence-directory.js';
import type { MemberRemoval, RoomPresence } from '../../../server/core/room-presence.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import type { ModerationAction } from '../../../src/protocol/moderation.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { ManualClock, claimsFor, closesOf, findSent, sentTo } from '../../support/presence-fixtures.js';

const moderate = (action: ModerationAction, participantId: string) =>
  ({ v, type: 'moderate', action, participantId }) as const;

/** Everything anyone but `connectionId` was sent or told. */
const othersSaw = (effects: PresenceEffect[], connectionId: string) =>
  effects.filter((e) => !('to' in e) || e.to !== connectionId);

describe('room moderation: host controls, hands and reactions', () => {
  let clock: ManualClock;
  let sessions: SessionRegistry;
  let directory: PresenceDirectory;
  let room: RoomPresence;
  let removals: MemberRemoval[];

  beforeEach(() => {
    clock = new ManualClock();
    sessions = new SessionRegistry({ now: clock.now });
    removals = [];
    directory = new PresenceDirectory({
      now: clock.now,
      sessions,
      onRemoved: (removal) => removals.push(removal),
      reactionRate: { capacity: 3, refillPerSecond: 1 },
    });
    room = directory.room('A');
    sessions.record('s-bob', { userId: 'bob', room: 'A' });
    room.join('c-host', claimsFor('host', { canModerate: true }));
    room.join('c-bob', claimsFor('bob', { expiresAt: Math.floor(clock.now() / 1000) + 600 }));
    room.join('c-eve', claimsFor('eve'));
  });

  it('refuses every host action from a token without canModerate, and changes nothing', () => {
    room.receive('c-bob', { v, type: 'hand', raised: true });
    const actions: ModerationAction[] = [
      'ask-unmute',
      'mute-mic',
      'stop-camera',
      'lower-hand',
      'spotlight',
      'unspotlight',
      'remove',
    ];
    for (const action of actions) {
      const effects = room.receive('c-eve', moderate(action, 'bob'));
      assert.equal(findSent(effects, 'c-eve', 'error')?.code, 'forbidden', `${action} is refused`);
      assert.deepEqual(othersSaw(effects, 'c-eve'), [], `${action} tells nobody else anything`);
      assert.deepEqual(closesOf(effects), [], `${action} closes nothing`);
    }
    assert.deepEqual(
      room.participants().map((p) => p.id),
      ['host', 'bob', 'eve'],
      'nobody was removed',
    );
    assert.deepEqual(
      room.raisedHands().map((h) => h.participantId),
      ['bob'],
      "bob's hand stays up",
    );
    assert.equal(room.spotlight, null, 'no spotlight');
    assert.equal(directory.isRemoved('A', 'bob'), false, 'bob is not banned');
    assert.deepEqual(removals, [], 'no SFU tracks closed');
  });

  it('passes ask-unmute, mute-mic and stop-camera to the target only, naming the host', () => {
    for (const request of ['ask-unmute', 'mute-mic', 'stop-camera'] as const) {
      const effects = room.receive('c-host', moderate(request, 'bob'));
      assert.deepEqual(sentTo(effects, 'c-bob'), [{ v, type: 'host-request', request, by: 'host' }]);
      assert.equal(effects.length, 1, `${request} reaches bob alone`);
    }
  });

  it('answers an action on someone who is not here with not-in-room', () => {
    const effects = room.receive('c-host', moderate('remove', 'nobody'));
    assert.equal(findSent(effects, 'c-host', 'error')?.code, 'not-in-room');
    assert.equal(effects.length, 1);
  });

  it('orders hands by raise time, lowers them on request, by a host, and when their owner leaves', () => {
    room.receive('c-eve', { v, type: 'hand', raised: true });
    clock.advance(1000);
    const raised = room.receive('c-bob', { v, type: 'hand', raised: true });
    clock.advance(1000);
    room.receive('c-host', { v, type: 'update-state', state: { handRaised: true } });
    assert.deepEqual(
      findSent(raised, 'c-host', 'hands')?.hands.map((h) => h.participantId),
      ['eve', 'bob'],
      'everyone hears the order',
    );
    assert.equal(findSent(raised, 'c-host', 'participant-state')?.state.handRaised, true);
    assert.deepEqual(
      room.raisedHands().map((h) => h.participantId),
      ['eve', 'bob', 'host'],
    );
    // Raising again keeps the place.
    assert.deepEqual(room.receive('c-eve', { v, type: 'hand', raised: true }), []);

    const lowered = room.receive('c-host', moderate('lower-hand', 'eve'));
    assert.deepEqual(
      findSent(lowered, 'c-bob', 'hands')?.hands.map((h) => h.participantId),
      ['bob', 'host'],
    );
    assert.equal(findSent(lowered, 'c-bob', 'participant-state')?.participantId, 'eve');

    const left = room.disconnect('c-bob');
    assert.deepEqual(
      findSent(left, 'c-host', 'hands')?.hands.map((h) => h.participantId),
      ['host'],
      "a leaver's hand goes down",
    );

    const late = room.join('c-zed', claimsFor('zed'));
    assert.deepEqual(
      findSent(late, 'c-zed', 'hello')?.hands?.map((h) => h.participantId),
      ['host'],
      'a newcomer learns the hands from hello',
    );
  });

  it('spotlights for everyone, tells newcomers, and drops it when the person leaves', () => {
    const on = room.receive('c-host', moderate('spotlight', 'bob'));
    for (const c of ['c-host', 'c-bob', 'c-eve']) {
      assert.equal(findSent(on, c, 'spotlight')?.participantId, 'bob', `${c} hears the spotlight`);
    }
    assert.equal(findSent(room.join('c-zed', claimsFor('zed')), 'c-zed', 'hello')?.spotlight, 'bob');
    assert.deepEqual(room.receive('c-host', moderate('unspotlight', 'eve')), [], 'eve was not spotlit');
    const gone = room.disconnect('c-bob');
    assert.equal(findSent(gone, 'c-eve', 'spotlight')?.participantId, null);
    assert.equal(room.spotlight, null);
  });

  it('rate limits reactions per participant with an error frame, and refills', () => {
    const sent = [1, 2, 3, 4].map(() => room.receive('c-eve', { v, type: 'react', emoji: '👍' }));
    assert.deepEqual(
      sent.slice(0, 3).map((e) => findSent(e, 'c-bob', 'reaction')?.emoji),
      ['👍', '👍', '👍'],
      'a burst of three reaches everyone',
    );
    assert.equal(findSent(sent[3]!, 'c-eve', 'error')?.code, 'rate-limited', 'the fourth is refused');
    assert.deepEqual(othersSaw(sent[3]!, 'c-eve'), [], 'and reaches nobody');
    assert.ok(
      findSent(room.receive('c-bob', { v, type: 'react', emoji: '🎉' }), 'c-eve', 'reaction'),
      "bob's own allowance",
    );
    clock.advance(1000);
    const again = room.receive('c-eve', { v, type: 'react', emoji: '👏' });
    assert.equal(findSent(again, 'c-host', 'reaction')?.participantId, 'eve', 'one more after a second');
    const ids = sent.slice(0, 3).map((e) => findSent(e, 'c-host', 'reaction')?.id);
    assert.equal(new Set(ids).size, 3, 'each reaction has its own id');
  });

  it('removes: closes the socket with 4410, tells the rest, bans the token until it expires', () => {
    room.receive('c-bob', {
      v,
      type: 'publish',
      track: { sessionId: 's-bob', trackName: 't', kind: 'video', source: 'camera' },
    });
    room.receive('c-bob', { v, type: 'hand', raised: true });
    const effects = room.receive('c-host', moderate('remove', 'bob'));
    assert.deepEqual(closesOf(effects), [{ to: 'c-bob', code: PresenceCloseCode.removed }]);
    assert.deepEqual(findSent(effects, 'c-eve', 'participant-left'), {
      v,
      type: 'participant-left',
      participantId: 'bob',
      reason: 'removed',
    });
    assert.deepEqual(findSent(effects, 'c-eve', 'hands')?.hands, [], "the removed person's hand goes down");
    assert.equal(room.isPublished('s-bob', 't'), false, 'their tracks are no longer pullable');
    assert.deepEqual(removals, [
      {
        room: 'A',
        userId: 'bob',
        publications: [
          { participantId: 'bob', sessionId: 's-bob', trackName: 't', kind: 'video', source: 'camera' },
        ],
      },
    ]);

    const rejoin = room.join('c-bob2', claimsFor('bob'));
    assert.deepEqual(closesOf(rejoin), [{ to: 'c-bob2', code: PresenceCloseCode.removed }], 'rejoin refused');
    assert.equal(sentTo(rejoin, 'c-eve').length, 0, 'and nobody hears of it');
    assert.equal(directory.isRemoved('A', 'bob'), true);
    assert.equal(directory.isRemoved('B', 'bob'), false, 'only this room');

    // The ban outlives the room emptying, and ends once the token (plus the 60 s tolerance) has expired.
    room.disconnect('c-host');
    room.disconnect('c-eve');
    directory.releaseIfEmpty('A');
    assert.equal(directory.existing('A'), undefined);
    clock.advance(600_000 + 59_000);
    assert.equal(
      closesOf(directory.room('A').join('c-bob3', claimsFor('bob')))[0]?.code,
      PresenceCloseCode.removed,
    );
    clock.advance(2_000);
    assert.deepEqual(closesOf(directory.room('A').join('c-bob4', claimsFor('bob'))), [], 'back after expiry');
  });

  it('lets a host remove another host but not themselves', () => {
    room.join('c-cohost', claimsFor('cohost', { canModerate: true }));
    assert.equal(
      findSent(room.receive('c-host', moderate('remove', 'host')), 'c-host', 'error')?.code,
      'bad-request',
    );
    assert.deepEqual(closesOf(room.receive('c-host', moderate('remove', 'cohost'))), [
      { to: 'c-cohost', code: PresenceCloseCode.removed },
    ]);
  });
});
