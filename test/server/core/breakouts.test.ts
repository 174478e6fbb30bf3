import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Breakouts } from '../../../server/core/breakouts.js';
import { PresenceDirectory } from '../../../server/core/presence-directory.js';
import type { PresenceEffect } from '../../../server/core/presence-effects.js';
import { authorizeSfuCall } from '../../../server/core/proxy-authorization.js';
import type { RoomPresence } from '../../../server/core/room-presence.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import type { BreakoutRequest } from '../../../src/protocol/breakout-schemas.js';
import { decodeClientMessage } from '../../../src/protocol/codec.js';
import type { Participant, TrackInfo } from '../../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { ManualClock, claimsFor, findSent, sentTo } from '../../support/presence-fixtures.js';

const camera = (user: string): TrackInfo => ({
  sessionId: `s-${user}`,
  trackName: `cam-${user}`,
  kind: 'video',
  source: 'camera',
});
const ask = (request: BreakoutRequest) => ({ v, type: 'breakout', request }) as const;
const USERS = ['host', 'ann', 'ben', 'cat', 'dan'];
const conn = (user: string) => `c-${user}`;

describe('breakout rooms in RoomPresence', () => {
  let clock: ManualClock;
  let sessions: SessionRegistry;
  let directory: PresenceDirectory;
  let room: RoomPresence;

  beforeEach(() => {
    clock = new ManualClock();
    sessions = new SessionRegistry({ now: clock.now });
    let seed = 0.37;
    const random = () => (seed = (seed * 9301 + 0.49297) % 1);
    directory = new PresenceDirectory({ now: clock.now, sessions, random } as never);
    room = directory.room('A');
    for (const user of USERS) {
      sessions.record(`s-${user}`, { userId: user, room: 'A' });
      room.join(conn(user), claimsFor(user, { canModerate: user === 'host' }));
      room.receive(conn(user), { v, type: 'publish', track: camera(user) });
    }
  });

  /** Two rooms: ann+ben in the first, cat+dan in the second; returns the effects of opening. */
  function openTwoRooms(): PresenceEffect[] {
    room.receive(conn('host'), ask({ action: 'configure', rooms: ['Red', 'Blue'] }));
    room.receive(conn('host'), ask({ action: 'assign', participantId: 'ann', roomId: 'room-1' }));
    room.receive(conn('host'), ask({ action: 'assign', participantId: 'ben', roomId: 'room-1' }));
    room.receive(conn('host'), ask({ action: 'assign', participantId: 'cat', roomId: 'room-2' }));
    room.receive(conn('host'), ask({ action: 'assign', participantId: 'dan', roomId: 'room-2' }));
    return room.receive(conn('host'), ask({ action: 'open' }));
  }

  it('decodes breakout frames and refuses malformed ones', () => {
    const ok = decodeClientMessage(JSON.stringify(ask({ action: 'open', countdownSeconds: 5 })));
    assert.equal(ok.ok, true);
    const bad = decodeClientMessage(JSON.stringify(ask({ action: 'open', countdownSeconds: -1 } as never)));
    assert.equal(bad.ok, false);
    const tooMany = decodeClientMessage(
      JSON.stringify(ask({ action: 'configure', rooms: Array.from({ length: 51 }, () => 'x') })),
    );
    assert.equal(tooMany.ok, false);
  });

  it('refuses every host action from a non-host with an error frame and changes nothing', () => {
    room.receive(conn('host'), ask({ action: 'configure', rooms: ['Red', 'Blue'] }));
    const forged: BreakoutRequest[] = [
      { action: 'configure', rooms: ['Mine'] },
      { action: 'rename', roomId: 'room-1', name: 'Hijacked' },
      { action: 'assign', participantId: 'ben', roomId: 'room-2' },
      { action: 'shuffle' },
      { action: 'open' },
      { action: 'close' },
      { action: 'broadcast', text: 'hello all' },
    ];
    for (const request of forged) {
      const effects = room.receive(conn('ann'), ask(request));
      assert.deepEqual(
        effects.map((e) => (e.type === 'send' ? [e.to, e.message.type] : [e.type])),
        [[conn('ann'), 'error']],
        request.action,
      );
      assert.equal(findSent(effects, conn('ann'), 'error')?.code, 'forbidden');
    }
    const plan = findSent(
      room.receive(conn('host'), ask({ action: 'rename', roomId: 'room-2', name: 'Blue' })),
      conn('ann'),
      'breakouts',
    );
    assert.deepEqual(plan?.rooms, [
      { id: 'room-1', name: 'Red' },
      { id: 'room-2', name: 'Blue' },
    ]);
    assert.equal(plan?.phase, 'closed');
    assert.ok(plan?.people.every((p) => p.assigned === 'main' && p.current === 'main'));
  });

  it('opens: each mover gets the roster and tracks of their room only, the rooms they leave see them go', () => {
    const effects = openTwoRooms();
    const annMoved = findSent(effects, conn('ann'), 'breakout-moved');
    assert.equal(annMoved?.roomId, 'room-1');
    assert.deepEqual(annMoved?.participants.map((p) => p.id).sort(), ['ann', 'ben']);
    assert.deepEqual(annMoved?.publications.map((p) => p.participantId).sort(), ['ann', 'ben']);
    const catMoved = findSent(effects, conn('cat'), 'breakout-moved');
    assert.deepEqual(catMoved?.participants.map((p) => p.id).sort(), ['cat', 'dan']);
    // The host stays in the main room and sees everyone leave.
    const left = sentTo(effects, conn('host')).filter((m) => m.type === 'participant-left');
    assert.deepEqual(left.map((m) => m.type === 'participant-left' && [m.participantId, m.reason]).sort(), [
      ['ann', 'moved'],
      ['ben', 'moved'],
      ['cat', 'moved'],
      ['dan', 'moved'],
    ]);
    assert.equal(findSent(effects, conn('host'), 'breakouts')?.phase, 'open');
    assert.equal(room.breakoutOf('ann'), 'room-1');
    assert.deepEqual(
      room
        .participants('ann')
        .map((p) => p.id)
        .sort(),
      ['ann', 'ben'],
    );
  });

  it('scopes presence to the current room: state and tracks reach only the same room', () => {
    openTwoRooms();
    const effects = room.receive(conn('ann'), { v, type: 'update-state', state: { micOn: true } });
    assert.deepEqual(effects.map((e) => e.type === 'send' && e.to).sort(), [conn('ann'), conn('ben')]);
    const unpublish = room.receive(conn('cat'), { v, type: 'unpublish', source: 'camera' });
    assert.deepEqual(unpublish.map((e) => e.type === 'send' && e.to).sort(), [conn('cat'), conn('dan')]);
  });

  it('authorizes pulls by the current room: another room is 403, and a move changes the answer', () => {
    openTwoRooms();
    const pull = (caller: string, of: string) =>
      authorizeSfuCall(
        { kind: 'tracks-new', sessionId: `s-${caller}` } as never,
        { tracks: [{ location: 'remote', sessionId: `s-${of}`, trackName: `cam-${of}` }] },
        claimsFor(caller),
        { sessions, publications: directory },
      );
    assert.deepEqual(pull('ann', 'ben'), { ok: true });
    const refused = pull('ann', 'cat');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.status, 403);
    assert.equal(!refused.ok && refused.errorCode, 'not_in_room');
    assert.equal(pull('host', 'ann').ok, false, 'the host in the main room cannot pull a breakout either');
    room.receive(conn('host'), ask({ action: 'assign', participantId: 'ann', roomId: 'room-2' }));
    assert.equal(pull('ann', 'cat').ok, true);
    assert.equal(pull('ann', 'ben').ok, false);
  });

  it('moves a participant while open, back and forth, with symmetric frames every time', () => {
    openTwoRooms();
    for (let i = 0; i < 10; i++) {
      const to = i % 2 === 0 ? 'room-2' : 'room-1';
      const from = i % 2 === 0 ? 'room-1' : 'room-2';
      const effects = room.receive(conn('host'), ask({ action: 'assign', participantId: 'ann', roomId: to }));
      assert.equal(findSent(effects, conn('ann'), 'breakout-moved')?.roomId, to);
      const leftRoom = from === 'room-1' ? 'ben' : 'cat';
      const joinedRoom = from === 'room-1' ? 'cat' : 'ben';
      assert.equal(findSent(effects, conn(leftRoom), 'participant-left')?.participantId, 'ann');
      assert.equal(findSent(effects, conn(joinedRoom), 'participant-joined')?.participant.id, 'ann');
      assert.equal(findSent(effects, conn(joinedRoom), 'track-published')?.publication.trackName, 'cam-ann');
      assert.equal(findSent(effects, conn('host'), 'participant-left'), undefined, 'main room not involved');
    }
  });

  it('shuffles evenly, leaves hosts in the main room, and moves at once when open', () => {
    room.receive(conn('host'), ask({ action: 'configure', rooms: ['One', 'Two'] }));
    const plan = findSent(room.receive(conn('host'), ask({ action: 'shuffle' })), conn('host'), 'breakouts');
    const assigned = (id: string) => plan?.people.find((p) => p.id === id)?.assigned;
    assert.equal(assigned('host'), 'main');
    const sizes = ['room-1', 'room-2'].map((r) => plan?.people.filter((p) => p.assigned === r).length);
    assert.deepEqual(sizes, [2, 2]);
    room.receive(conn('host'), ask({ action: 'open' }));
    room.receive(conn('host'), ask({ action: 'configure', rooms: ['One', 'Two', 'Three'] }));
    const effects = room.receive(conn('host'), ask({ action: 'shuffle' }));
    assert.equal(findSent(effects, conn('host'), 'error')?.code, undefined);
    const sizes3 = ['room-1', 'room-2'].map(
      (r) => findSent(effects, conn('host'), 'breakouts')?.people.filter((p) => p.current === r).length,
    );
    assert.deepEqual(sizes3, [2, 2], 'configure is refused while open, shuffle moves people now');
  });

  it('counts down before opening, lets a participant join now, and closes after a countdown', () => {
    room.receive(conn('host'), ask({ action: 'configure', rooms: ['Red', 'Blue'], allowReturn: false }));
    room.receive(conn('host'), ask({ action: 'assign', participantId: 'ann', roomId: 'room-1' }));
    room.receive(conn('host'), ask({ action: 'assign', participantId: 'ben', roomId: 'room-2' }));
    const opening = room.receive(conn('host'), ask({ action: 'open', countdownSeconds: 5 }));
    assert.deepEqual(
      opening.filter((e) => e.type === 'wake'),
      [{ type: 'wake', room: 'A', inMs: 5000 }],
    );
    assert.equal(findSent(opening, conn('ann'), 'breakouts')?.countdownMs, 5000);
    const joinNow = room.receive(conn('ann'), ask({ action: 'join-now' }));
    assert.equal(findSent(joinNow, conn('ann'), 'breakout-moved')?.roomId, 'room-1');
    clock.advance(2000);
    assert.deepEqual(room.wake(), [{ type: 'wake', room: 'A', inMs: 3000 }], 'an early wake waits');
    clock.advance(3000);
    const opened = room.wake();
    assert.equal(findSent(opened, conn('ben'), 'breakout-moved')?.roomId, 'room-2');
    assert.equal(findSent(opened, conn('ann'), 'breakout-moved'), undefined, 'ann is there already');

    const refused = room.receive(conn('ann'), ask({ action: 'return' }));
    assert.equal(findSent(refused, conn('ann'), 'error')?.code, 'forbidden');
    assert.equal(room.breakoutOf('ann'), 'room-1');

    const closing = room.receive(conn('host'), ask({ action: 'close' }));
    assert.equal(findSent(closing, conn('ben'), 'breakouts')?.phase, 'closing');
    assert.deepEqual(
      closing.filter((e) => e.type === 'wake'),
      [{ type: 'wake', room: 'A', inMs: 10_000 }],
    );
    // While closing, anyone may go back early.
    assert.equal(
      findSent(room.receive(conn('ann'), ask({ action: 'return' })), conn('ann'), 'breakout-moved')?.roomId,
      'main',
    );
    clock.advance(10_000);
    const closed = room.wake();
    const benBack = findSent(closed, conn('ben'), 'breakout-moved');
    assert.equal(benBack?.roomId, 'main');
    assert.deepEqual(benBack?.participants.map((p) => p.id).sort(), USERS.slice().sort());
    assert.equal(findSent(closed, conn('host'), 'breakouts')?.phase, 'closed');
  });

  it('lets participants go back early when allowed, sends help to hosts only and messages to all', () => {
    room.receive(conn('host'), ask({ action: 'configure', rooms: ['Red'], allowReturn: true }));
    room.receive(conn('host'), ask({ action: 'shuffle' }));
    room.receive(conn('host'), ask({ action: 'open' }));
    const help = room.receive(conn('cat'), ask({ action: 'help' }));
    assert.deepEqual(
      help.map((e) => e.type === 'send' && [e.to, e.message.type]),
      [[conn('host'), 'breakout-notice']],
    );
    assert.equal(findSent(help, conn('host'), 'breakout-notice')?.roomId, 'room-1');
    const message = room.receive(conn('host'), ask({ action: 'broadcast', text: 'Two minutes left' }));
    assert.equal(
      USERS.filter((u) => findSent(message, conn(u), 'breakout-notice')?.text === 'Two minutes left').length,
      USERS.length,
    );
    const back = room.receive(conn('cat'), ask({ action: 'return' }));
    assert.equal(findSent(back, conn('cat'), 'breakout-moved')?.roomId, 'main');
  });

  it('puts a reconnecting participant back in their breakout room', () => {
    openTwoRooms();
    room.disconnect(conn('ann'));
    const effects = room.join('c-ann-2', claimsFor('ann'));
    const hello = findSent(effects, 'c-ann-2', 'hello');
    assert.deepEqual(hello?.participants.map((p) => p.id).sort(), ['ann', 'ben']);
    assert.equal(findSent(effects, 'c-ann-2', 'breakouts')?.phase, 'open');
    assert.equal(findSent(effects, conn('cat'), 'participant-joined'), undefined);
  });
});

describe('Breakouts', () => {
  const person = (id: string, canModerate = false): Participant => ({
    id,
    name: id,
    joinedAt: 0,
    canPublish: true,
    canModerate,
    state: { micOn: false, cameraOn: false, speaking: false, handRaised: false },
  });

  it('shuffles any number of people into rooms whose sizes differ by at most one', () => {
    for (const count of [1, 2, 5, 7, 10]) {
      for (const rooms of [1, 2, 3, 4]) {
        const breakouts = new Breakouts(() => 0);
        const present = [person('h', true), ...Array.from({ length: count }, (_, i) => person(`p${i}`))];
        breakouts.request(
          present[0]!,
          { action: 'configure', rooms: Array.from({ length: rooms }, (_, i) => `R${i}`) },
          present,
        );
        breakouts.request(present[0]!, { action: 'shuffle' }, present);
        const sizes = breakouts.rooms.map(
          (r) => present.filter((p) => breakouts.assignedTo(p.id) === r.id).length,
        );
        assert.equal(
          sizes.reduce((a, b) => a + b, 0),
          count,
        );
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${count} in ${rooms}: ${sizes.join(',')}`);
      }
    }
  });
});
