// What a runtime that can lose its memory (a Durable Object) saves of a room besides its members, and how the
// core takes it back: host removals (RemovalLedger entries/restore) and breakout rooms (snapshot/restore).
// Each restore goes through JSON, as the storage does, into a fresh directory: nothing is shared but the data.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { CLOCK_TOLERANCE_SECONDS, MAX_TOKEN_TTL_SECONDS } from '../../../server/core/call-token.js';
import { PresenceDirectory } from '../../../server/core/presence-directory.js';
import type { PresenceEffect } from '../../../server/core/presence-effects.js';
import { RemovalLedger, type RemovalEntry } from '../../../server/core/removal-ledger.js';
import type { MemberRecord, RoomPresence } from '../../../server/core/room-presence.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import type { BreakoutRequest } from '../../../src/protocol/breakout-schemas.js';
import type { TrackInfo } from '../../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { ManualClock, claimsFor, closesOf, findSent } from '../../support/presence-fixtures.js';

const USERS = ['host', 'ann', 'ben', 'cat', 'dan'];
const conn = (user: string) => `c-${user}`;
const ask = (request: BreakoutRequest) => ({ v, type: 'breakout', request }) as const;
const camera = (user: string): TrackInfo => ({
  sessionId: `s-${user}`,
  trackName: `cam-${user}`,
  kind: 'video',
  source: 'camera',
});
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('RemovalLedger: entries and restore', () => {
  it('a restored ledger refuses the same users until the same time, and leaves out bans that ended', () => {
    const clock = new ManualClock();
    const ledger = new RemovalLedger(clock.now);
    ledger.remove('A', 'bob', clock.now() + 60_000);
    ledger.remove('A', 'eve', clock.now() + 5_000);
    ledger.remove('B', 'bob', clock.now() + 120_000);
    const saved: RemovalEntry[] = throughJson(ledger.entries());
    assert.equal(ledger.until('A', 'bob'), clock.now() + 60_000);
    assert.equal(ledger.until('A', 'ann'), undefined);

    clock.advance(10_000);
    const restored = new RemovalLedger(clock.now);
    restored.restore(saved);
    assert.equal(restored.size, 2, 'eve’s ban ended while the memory was gone');
    assert.equal(restored.isRemoved('A', 'bob'), true);
    assert.equal(restored.isRemoved('B', 'bob'), true);
    assert.equal(restored.isRemoved('A', 'eve'), false);
    assert.equal(restored.isRemoved('B', 'ann'), false);
    // A restore never shortens a ban the ledger already holds.
    restored.remove('A', 'bob', clock.now() + 500_000);
    restored.restore(saved);
    assert.equal(restored.until('A', 'bob'), clock.now() + 500_000);
    clock.advance(50_000);
    assert.equal(restored.isRemoved('B', 'bob'), true);
    clock.advance(60_000);
    assert.equal(restored.isRemoved('B', 'bob'), false, 'and the restored ban ends when it should');
  });

  it('a user a host removed is refused by a directory rebuilt from what was saved', () => {
    const clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now });
    const directory = new PresenceDirectory({ now: clock.now, sessions });
    const room = directory.room('A');
    room.join('c-host', claimsFor('host', { canModerate: true }));
    room.join('c-bob', claimsFor('bob', { expiresAt: Math.floor(clock.now() / 1000) + 600 }));
    room.receive('c-host', { v, type: 'moderate', action: 'remove', participantId: 'bob' });
    const saved = throughJson(directory.removals.entries());
    const members = [throughJson(room.member('host')!)];

    const rebuilt = new PresenceDirectory({ now: clock.now, sessions });
    rebuilt.removals.restore(saved);
    rebuilt.room('A').restore(members);
    assert.equal(rebuilt.isRemoved('A', 'bob'), true, 'the proxy refuses him');
    const rejoin = rebuilt.room('A').join('c-bob-2', claimsFor('bob'));
    assert.deepEqual(closesOf(rejoin), [{ to: 'c-bob-2', code: PresenceCloseCode.removed }]);
  });
});

describe('breakout rooms: snapshot and restore', () => {
  let clock: ManualClock;
  let sessions: SessionRegistry;
  let changes: string[];
  let directory: PresenceDirectory;
  let room: RoomPresence;

  const newDirectory = () =>
    new PresenceDirectory({ now: clock.now, sessions, onBreakoutsChange: (name) => changes.push(name) });

  beforeEach(() => {
    clock = new ManualClock();
    sessions = new SessionRegistry({ now: clock.now });
    changes = [];
    directory = newDirectory();
    room = directory.room('A');
    for (const user of USERS) {
      sessions.record(`s-${user}`, { userId: user, room: 'A' });
      room.join(conn(user), claimsFor(user, { canModerate: user === 'host' }));
      room.receive(conn(user), { v, type: 'publish', track: camera(user) });
    }
  });

  /** Two rooms planned: ann+ben in Red, cat+dan in Blue. */
  const planTwoRooms = () => {
    room.receive(conn('host'), ask({ action: 'configure', rooms: ['Red', 'Blue'] }));
    for (const [user, roomId] of [
      ['ann', 'room-1'],
      ['ben', 'room-1'],
      ['cat', 'room-2'],
      ['dan', 'room-2'],
    ] as const) {
      room.receive(conn('host'), ask({ action: 'assign', participantId: user, roomId }));
    }
  };

  /** What a runtime saved (members and breakouts, through JSON), put back in a fresh directory. */
  const rebuild = (): { restored: RoomPresence; effects: PresenceEffect[] } => {
    const members: MemberRecord[] = USERS.flatMap((user) => {
      const record = room.member(user);
      return record ? [throughJson(record)] : [];
    });
    const snapshot = throughJson(room.breakoutsSnapshot());
    assert.ok(snapshot, 'there is something to save');
    const fresh = newDirectory();
    const restored = fresh.room('A');
    restored.restore(members);
    return { restored, effects: restored.restoreBreakouts(snapshot) };
  };

  it('has nothing to save until breakout rooms exist, and reports each change of them', () => {
    assert.equal(room.breakoutsSnapshot(), undefined);
    room.receive(conn('ann'), ask({ action: 'help' }));
    assert.deepEqual(changes, [], 'a notice changes no state');
    planTwoRooms();
    assert.equal(changes.length, 5, 'configure and four assignments');
    room.receive(conn('host'), ask({ action: 'open' }));
    assert.equal(changes.length, 6);
    assert.equal(room.receive(conn('ann'), ask({ action: 'return' })).length, 1, 'refused: an error only');
    assert.equal(changes.length, 6, 'a refused request changes nothing');
  });

  it('brings back open rooms with who is in which: presence and pulls stay scoped', () => {
    planTwoRooms();
    room.receive(conn('host'), ask({ action: 'open' }));
    const { restored, effects } = rebuild();
    assert.deepEqual(effects, [], 'no countdown runs');
    assert.equal(restored.breakoutOf('ann'), 'room-1');
    assert.equal(restored.breakoutOf('dan'), 'room-2');
    assert.equal(restored.breakoutOf('host'), 'main');
    assert.deepEqual(
      restored
        .participants('ann')
        .map((p) => p.id)
        .sort(),
      ['ann', 'ben'],
    );
    assert.equal(restored.isPublished('s-ben', 'cam-ben', 'ann'), true);
    assert.equal(
      restored.isPublished('s-cat', 'cam-cat', 'ann'),
      false,
      'the other breakout stays closed to her',
    );
    assert.deepEqual(restored.breakoutsSnapshot(), room.breakoutsSnapshot());

    // A rejoin after the restart lands in the same breakout, with that room's roster.
    const hello = findSent(restored.join('c-ann-2', claimsFor('ann')), 'c-ann-2', 'hello');
    assert.deepEqual(hello?.participants.map((p) => p.id).sort(), ['ann', 'ben']);
    // Rooms made after the restore keep counting from where the plan was.
    restored.receive(conn('host'), ask({ action: 'close', countdownSeconds: 0 }));
    restored.receive(conn('host'), ask({ action: 'configure', rooms: ['Red', 'Blue', 'Green'] }));
    assert.deepEqual(
      restored.breakoutsSnapshot()?.rooms.map((r) => r.id),
      ['room-1', 'room-2', 'room-3'],
    );
  });

  it('a countdown that was running ends on time after a restore, or at once if it ran out meanwhile', () => {
    planTwoRooms();
    room.receive(conn('host'), ask({ action: 'open', countdownSeconds: 5 }));
    clock.advance(2000);
    const { restored, effects } = rebuild();
    assert.deepEqual(effects, [{ type: 'wake', room: 'A', inMs: 3000 }]);
    clock.advance(3000);
    const opened = restored.wake();
    assert.equal(findSent(opened, conn('ben'), 'breakout-moved')?.roomId, 'room-1');
    assert.equal(findSent(opened, conn('cat'), 'breakout-moved')?.roomId, 'room-2');
    assert.equal(restored.breakoutOf('cat'), 'room-2');

    // Closing, then the memory is gone for longer than the countdown.
    room = restored;
    room.receive(conn('host'), ask({ action: 'close', countdownSeconds: 10 }));
    clock.advance(30_000);
    const late = rebuild();
    assert.deepEqual(late.effects, [{ type: 'wake', room: 'A', inMs: 0 }]);
    const closed = late.restored.wake();
    assert.equal(findSent(closed, conn('ann'), 'breakout-moved')?.roomId, 'main');
    assert.equal(findSent(closed, conn('host'), 'breakouts')?.phase, 'closed');
    assert.equal(late.restored.breakoutOf('dan'), 'main');
  });

  it('a room released when its last member left reports that its breakout rooms are gone', () => {
    planTwoRooms();
    changes = [];
    for (const user of USERS) room.disconnect(conn(user));
    directory.releaseIfEmpty('A');
    assert.deepEqual(changes, ['A'], 'the runtime is told to save (now: nothing)');
    assert.equal(directory.existing('A'), undefined, 'so what it saves is: no breakout rooms');
    // A room with no breakout rooms ever made has nothing to forget: no call.
    changes = [];
    const other = directory.room('B');
    other.join('c-zoe', claimsFor('zoe', { room: 'B' }));
    other.disconnect('c-zoe');
    directory.releaseIfEmpty('B');
    assert.deepEqual(changes, []);
  });
});

describe('member records: the token expiry a removal lasts until', () => {
  it('a member restored from a record is banned until their token expires, not for a whole day', () => {
    const clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now });
    const saved: string[] = [];
    const directory = new PresenceDirectory({
      now: clock.now,
      sessions,
      onMemberChange: (id) => saved.push(id),
    });
    const room = directory.room('A');
    const nowSeconds = Math.floor(clock.now() / 1000);
    room.join('c-host', claimsFor('host', { canModerate: true, expiresAt: nowSeconds + 600 }));
    room.join('c-bob', claimsFor('bob', { expiresAt: nowSeconds + 300 }));
    assert.equal(room.member('bob')?.tokenExpiresAt, nowSeconds + 300);
    saved.length = 0;
    room.tokenRefreshed('c-bob', nowSeconds + 900);
    assert.deepEqual(saved, ['bob'], 'a refresh is a change to save');
    const records = ['host', 'bob'].map((id) => throughJson(room.member(id)!));
    assert.equal(records[1]?.tokenExpiresAt, nowSeconds + 900);

    const rebuilt = new PresenceDirectory({ now: clock.now, sessions });
    rebuilt.room('A').restore(records);
    rebuilt.room('A').receive('c-host', { v, type: 'moderate', action: 'remove', participantId: 'bob' });
    const until = rebuilt.removals.until('A', 'bob');
    assert.equal(until, (nowSeconds + 900 + CLOCK_TOLERANCE_SECONDS) * 1000);
    // A record stored before the expiry was kept: the longest a token can live.
    const { tokenExpiresAt: _dropped, ...old } = records[1]!;
    const legacy = new PresenceDirectory({ now: clock.now, sessions });
    legacy.room('A').restore([records[0]!, old]);
    legacy.room('A').receive('c-host', { v, type: 'moderate', action: 'remove', participantId: 'bob' });
    assert.ok((legacy.removals.until('A', 'bob') ?? 0) >= clock.now() + MAX_TOKEN_TTL_SECONDS * 1000);
  });
});
