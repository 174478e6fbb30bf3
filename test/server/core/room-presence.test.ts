import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { RoomPresence } from '../../../server/core/room-presence.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import type { TrackInfo } from '../../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { ManualClock, claimsFor, closesOf, findSent, sentTo } from '../../support/presence-fixtures.js';

const camera = (sessionId: string, trackName = 'cam-1'): TrackInfo => ({
  sessionId,
  trackName,
  kind: 'video',
  source: 'camera',
});

describe('RoomPresence', () => {
  let clock: ManualClock;
  let sessions: SessionRegistry;
  let room: RoomPresence;

  beforeEach(() => {
    clock = new ManualClock();
    sessions = new SessionRegistry({ now: clock.now });
    room = new RoomPresence('A', { now: clock.now, sessions });
    sessions.record('s-alice', { userId: 'alice', room: 'A' });
    sessions.record('s-bob', { userId: 'bob', room: 'A' });
  });

  it('says hello with self, roster and publications, and tells the others', () => {
    room.join('c1', claimsFor('alice'));
    room.receive('c1', { v, type: 'publish', track: camera('s-alice') });
    // A moderator who doesn't publish is still listed by name (only plain viewers are counted).
    const effects = room.join('c2', claimsFor('bob', { canPublish: false, canModerate: true }));

    const hello = findSent(effects, 'c2', 'hello');
    assert.ok(hello);
    assert.equal(hello.self.id, 'bob');
    assert.equal(hello.self.canPublish, false);
    assert.deepEqual(
      hello.participants.map((p) => p.id),
      ['alice', 'bob'],
    );
    assert.deepEqual(hello.publications, [{ participantId: 'alice', ...camera('s-alice') }]);
    assert.ok(hello.heartbeatTimeoutMs > 60_000);
    assert.equal(findSent(effects, 'c1', 'participant-joined')?.participant.name, 'BOB');
  });

  it('removes a participant who leaves and tells the rest', () => {
    room.join('c1', claimsFor('alice'));
    room.join('c2', claimsFor('bob'));
    room.receive('c1', { v, type: 'publish', track: camera('s-alice') });
    const effects = room.disconnect('c1');
    assert.deepEqual(findSent(effects, 'c2', 'participant-left'), {
      v,
      type: 'participant-left',
      participantId: 'alice',
      reason: 'left',
    });
    assert.deepEqual(
      room.participants().map((p) => p.id),
      ['bob'],
    );
    assert.equal(room.isPublished('s-alice', 'cam-1'), false, "a leaver's tracks are no longer pullable");
  });

  it('takes identity from the token and ignores identity fields a client slips in', () => {
    room.join('c1', claimsFor('alice'));
    room.join('c2', claimsFor('bob'));
    const spoof = { v, type: 'update-state', state: { handRaised: true, id: 'bob', name: 'Bob' } } as never;
    const effects = room.receive('c1', spoof);
    const update = findSent(effects, 'c2', 'participant-state');
    assert.equal(update?.participantId, 'alice');
    const [alice, bob] = room.participants();
    assert.equal(alice?.name, 'ALICE');
    assert.equal(alice?.state.handRaised, true);
    assert.equal(bob?.state.handRaised, false);
  });

  it('refuses a publication whose session belongs to someone else, or to no one', () => {
    room.join('c1', claimsFor('alice'));
    room.join('c2', claimsFor('bob'));
    for (const sessionId of ['s-bob', 's-unknown']) {
      const effects = room.receive('c1', { v, type: 'publish', track: camera(sessionId) });
      assert.equal(findSent(effects, 'c1', 'error')?.code, 'not-session-owner');
      assert.equal(sentTo(effects, 'c2').length, 0, 'nothing is broadcast');
    }
    assert.deepEqual(room.publications(), []);
  });

  it('refuses a session created by the same user in another room', () => {
    sessions.record('s-alice-in-B', { userId: 'alice', room: 'B' });
    room.join('c1', claimsFor('alice'));
    const effects = room.receive('c1', { v, type: 'publish', track: camera('s-alice-in-B') });
    assert.equal(findSent(effects, 'c1', 'error')?.code, 'not-session-owner');
  });

  it('refuses publications from a subscribe-only participant', () => {
    room.join('c1', claimsFor('bob', { canPublish: false }));
    const effects = room.receive('c1', { v, type: 'publish', track: camera('s-bob') });
    assert.equal(findSent(effects, 'c1', 'error')?.code, 'forbidden');
  });

  it('tells everyone when a publication moves to a new session, and on unpublish', () => {
    room.join('c1', claimsFor('alice'));
    room.join('c2', claimsFor('bob'));
    room.receive('c1', { v, type: 'publish', track: camera('s-alice') });
    sessions.record('s-alice-2', { userId: 'alice', room: 'A' });

    const moved = room.receive('c1', { v, type: 'publish', track: camera('s-alice-2') });
    assert.equal(findSent(moved, 'c2', 'track-published')?.publication.sessionId, 's-alice-2');
    assert.equal(room.isPublished('s-alice', 'cam-1'), false);
    assert.equal(room.isPublished('s-alice-2', 'cam-1'), true);
    assert.deepEqual(
      room.receive('c1', { v, type: 'publish', track: camera('s-alice-2') }),
      [],
      'no-op repeat',
    );

    const gone = room.receive('c1', { v, type: 'unpublish', source: 'camera' });
    assert.equal(findSent(gone, 'c2', 'track-unpublished')?.trackName, 'cam-1');
    assert.equal(room.isPublished('s-alice-2', 'cam-1'), false);
  });

  it('lets the newest connection of a user win and closes the old one with 4409', () => {
    room.join('tab1', claimsFor('alice'));
    room.join('c2', claimsFor('bob'));
    room.receive('tab1', { v, type: 'publish', track: camera('s-alice') });
    const effects = room.join('tab2', claimsFor('alice'));

    assert.deepEqual(closesOf(effects), [{ to: 'tab1', code: PresenceCloseCode.replaced }]);
    assert.deepEqual(
      sentTo(effects, 'c2').map((m) => m.type),
      ['participant-left', 'participant-joined'],
    );
    assert.equal(findSent(effects, 'c2', 'participant-left')?.reason, 'replaced');
    assert.equal(room.participantCount, 2, 'no duplicate roster entry');
    assert.deepEqual(room.disconnect('tab1'), [], 'the old socket closing changes nothing');
    assert.equal(findSent(room.receive('tab2', { v, type: 'ping' }), 'tab2', 'pong')?.type, 'pong');
  });

  it('evicts a silent participant only after the heartbeat timeout (> 60 s)', () => {
    room.join('c1', claimsFor('alice'));
    room.join('c2', claimsFor('bob'));
    clock.advance(61_000);
    room.receive('c2', { v, type: 'ping' });
    assert.deepEqual(room.sweep(), [], 'a tab that wakes once a minute is not evicted');

    clock.advance(room.heartbeatTimeoutMs - 61_000 + 1);
    room.touch('c2');
    const effects = room.sweep();
    assert.deepEqual(closesOf(effects), [{ to: 'c1', code: PresenceCloseCode.heartbeatTimeout }]);
    assert.equal(findSent(effects, 'c2', 'participant-left')?.reason, 'timeout');
    assert.deepEqual(
      room.participants().map((p) => p.id),
      ['bob'],
    );
  });

  it('refuses heartbeat timeouts of 60 s or less', () => {
    assert.throws(
      () => new RoomPresence('A', { now: clock.now, sessions, heartbeat: { timeoutMs: 60_000 } }),
      RangeError,
    );
  });

  it('closes a connection whose token is for another room', () => {
    const effects = room.join('c1', claimsFor('alice', { room: 'B' }));
    assert.deepEqual(closesOf(effects), [{ to: 'c1', code: PresenceCloseCode.forbidden }]);
    assert.equal(room.participantCount, 0);
  });

  it('does not broadcast unchanged state', () => {
    room.join('c1', claimsFor('alice'));
    assert.deepEqual(room.receive('c1', { v, type: 'update-state', state: { micOn: false } }), []);
    assert.equal(room.receive('c1', { v, type: 'update-state', state: { micOn: true } }).length, 1);
  });
});
