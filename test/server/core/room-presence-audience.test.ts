// A broadcast's audience: viewers (no publish, moderate or chat right) are counted, not listed, and their
// joins and leaves reach nobody one by one; the count goes out at most once a second; a moderator pages them.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { PresenceEffect } from '../../../server/core/presence-effects.js';
import { AUDIENCE_INTERVAL_MS, RoomPresence } from '../../../server/core/room-presence.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import type { ServerMessageOf } from '../../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { ManualClock, claimsFor, findSent, sentTo } from '../../support/presence-fixtures.js';

const viewer = (id: string) => claimsFor(id, { canPublish: false });
const laterOf = (effects: PresenceEffect[]) =>
  effects.filter((e): e is Extract<PresenceEffect, { type: 'after' }> => e.type === 'after');

describe('RoomPresence: audience', () => {
  let clock: ManualClock;
  let room: RoomPresence;

  beforeEach(() => {
    clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now });
    sessions.record('s-host', { userId: 'host', room: 'A' });
    room = new RoomPresence('A', { now: clock.now, sessions });
    room.join('c-host', claimsFor('host', { canModerate: true }));
    room.receive('c-host', {
      v,
      type: 'publish',
      track: { sessionId: 's-host', trackName: 'cam', kind: 'video', source: 'camera' },
    });
  });

  it("a viewer's hello carries the publishers and the count, not the other viewers", () => {
    for (let i = 0; i < 50; i++) room.join(`c-v${i}`, viewer(`v${i}`));
    const effects = room.join('c-last', viewer('last'));
    const hello = findSent(effects, 'c-last', 'hello');
    assert.deepEqual(
      hello?.participants.map((p) => p.id),
      ['host'],
    );
    assert.equal(hello?.self.id, 'last');
    assert.equal(hello?.audience, 51);
    assert.equal(hello?.publications.length, 1);
    assert.equal(room.audienceCount, 51);
    assert.equal(room.participantCount, 52);
  });

  it("a viewer's join and leave are sent to no one else; the count follows at most once a second", () => {
    const first = room.join('c-v1', viewer('v1'));
    // The first change goes out at once, to everyone.
    assert.deepEqual(
      sentTo(first, 'c-host').map((m) => m.type),
      ['audience'],
    );
    const burst = [
      ...room.join('c-v2', viewer('v2')),
      ...room.join('c-v3', viewer('v3')),
      ...room.disconnect('c-v1'),
    ];
    assert.equal(
      burst.some((e) => e.type === 'send' && e.to !== 'c-v2' && e.to !== 'c-v3'),
      false,
    );
    assert.equal(
      burst.some((e) => e.type === 'send' && e.message.type !== 'hello'),
      false,
    );
    const later = laterOf(burst);
    assert.equal(later.length, 1, 'one scheduled count for the whole burst');
    assert.equal(later[0]!.ms, AUDIENCE_INTERVAL_MS);
    clock.advance(AUDIENCE_INTERVAL_MS);
    const counted = later[0]!.run();
    const counts = counted.flatMap((e) => (e.type === 'send' ? [e] : []));
    assert.deepEqual(new Set(counts.map((e) => e.to)), new Set(['c-host', 'c-v2', 'c-v3']));
    assert.deepEqual(counts[0]?.message, { v, type: 'audience', count: 2 });
  });

  it('a count that returns to the last one sent still goes out when a hello told someone otherwise', () => {
    room.join('c-v1', viewer('v1')); // 1, sent at once
    const burst = [...room.join('c-v2', viewer('v2')), ...room.disconnect('c-v1')];
    assert.equal(findSent(burst, 'c-v2', 'hello')?.audience, 2, 'the joiner was told 2');
    clock.advance(AUDIENCE_INTERVAL_MS);
    const counted = laterOf(burst)[0]!.run();
    assert.deepEqual(findSent(counted, 'c-v2', 'audience'), { v, type: 'audience', count: 1 });
  });

  it('a publisher joining is still announced to every viewer', () => {
    room.join('c-v1', viewer('v1'));
    const effects = room.join('c-pub', claimsFor('pub'));
    assert.equal(findSent(effects, 'c-v1', 'participant-joined')?.participant.id, 'pub');
    assert.equal(findSent(effects, 'c-pub', 'hello')?.audience, 1);
  });

  it("a viewer's raised hand reaches the moderators and the viewer, not the audience", () => {
    room.join('c-v1', viewer('v1'));
    room.join('c-v2', viewer('v2'));
    room.join('c-pub', claimsFor('pub'));
    const effects = room.receive('c-v1', { v, type: 'update-state', state: { handRaised: true } });
    // Its state and the room's list of raised hands, to those two only.
    assert.deepEqual([...new Set(effects.map((e) => e.type === 'send' && e.to))], ['c-v1', 'c-host']);
  });

  it('a moderator pages through the viewers in join order; others may not', () => {
    for (let i = 0; i < 5; i++) {
      room.join(`c-v${i}`, viewer(`v${i}`));
      clock.advance(10);
    }
    const pages: ServerMessageOf<'audience-page'>[] = [];
    let after: string | undefined;
    do {
      const effects = room.receive('c-host', { v, type: 'list-audience', limit: 2, ...(after && { after }) });
      const page = findSent(effects, 'c-host', 'audience-page');
      assert.ok(page);
      pages.push(page);
      after = page.next;
    } while (after);
    assert.deepEqual(
      pages.map((p) => p.participants.map((x) => x.id)),
      [['v0', 'v1'], ['v2', 'v3'], ['v4']],
    );
    assert.equal(pages[0]?.total, 5);

    const refused = room.receive('c-v0', { v, type: 'list-audience' });
    assert.equal(findSent(refused, 'c-v0', 'error')?.code, 'forbidden');
  });

  it('the lobby and WHEP see the listed members only', () => {
    room.join('c-v1', viewer('v1'));
    assert.deepEqual(
      room.participants().map((p) => p.id),
      ['host'],
    );
  });

  it('restored members keep their place: viewers counted, publishers listed', () => {
    room.join('c-v1', viewer('v1'));
    const records = ['host', 'v1'].map((id) => room.member(id)!);
    const sessions = new SessionRegistry({ now: clock.now });
    const restored = new RoomPresence('A', { now: clock.now, sessions });
    restored.restore(records);
    assert.equal(restored.audienceCount, 1);
    assert.deepEqual(
      restored.participants().map((p) => p.id),
      ['host'],
    );
  });
});
