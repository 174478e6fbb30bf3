// What the Room object keeps when its memory goes: hibernation (sockets stay open, the object is evicted) and a
// restart of workerd with persisted storage in the middle of a call (sockets drop, clients reconnect).
//
// Hibernation is forced with Miniflare's eviction (`unsafeEvictDurableObject` with `webSockets: 'hibernate'`,
// what the runtime does to an idle object). That the object holds no timers is read from its alarm schedule (the
// core's only timer source in the object; it never calls setTimeout), and that the heartbeat is answered
// without waking it from its wake counter and wake time in SQLite. A host's removals and the breakout rooms
// (who is in which, a running countdown) are kept too.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLOCK_TOLERANCE_SECONDS } from '../../../server/core/call-token.js';
import type { Admission } from '../../../server/core/proxy-room-state.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import type { BreakoutRequest } from '../../../src/protocol/breakout-schemas.js';
import type { Participant, Publication } from '../../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { claimsFor, testToken } from '../../support/presence-fixtures.js';
import { HEARTBEAT_PING, PresenceTestClient } from '../../support/presence-test-client.js';
import { startPresenceWorker, type PresenceWorker } from '../../support/worker-presence.js';

const TTL_SECONDS = 300;

const camera = (sessionId: string, trackName: string) =>
  ({ sessionId, trackName, kind: 'video', source: 'camera' }) as const;

describe('Room object: hibernation and restarts', () => {
  let worker: PresenceWorker;
  let persistDir: string;
  const clients: PresenceTestClient[] = [];

  /** Opens a socket and joins; the `hello` stays in `client.messages` (first), for the roster checks. */
  const join = async (room: string, userId: string, canModerate = false) => {
    const client = await PresenceTestClient.open(worker.url, room, worker.url);
    clients.push(client);
    client.send({ v, type: 'join', token: await testToken(room, userId, Date.now, { canModerate }) });
    const hello = await client.next('hello');
    client.messages.unshift(hello);
    return client;
  };

  /** Joins, records an SFU session for the user and publishes its camera; waits for the echo. */
  const joinAndPublish = async (room: string, userId: string, sessionId: string, canModerate = false) => {
    const client = await join(room, userId, canModerate);
    await worker.recordSession(sessionId, { userId, room });
    client.send({ v, type: 'publish', track: camera(sessionId, `${userId}-cam`) });
    await client.next('track-published');
    return client;
  };

  before(async () => {
    persistDir = await mkdtemp(joinPath(tmpdir(), 'call-elements-do-'));
    worker = await startPresenceWorker({ persistDir, joinTimeoutMs: 2000 });
  });

  after(async () => {
    for (const client of clients) client.ws.terminate();
    await worker?.close();
    await rm(persistDir, { recursive: true, force: true });
  });

  it('hibernates with no timers, answers heartbeats without waking, and wakes into the same room', async () => {
    const room = 'hibernating';
    const alice = await joinAndPublish(room, 'alice', 's-alice');
    const bob = await joinAndPublish(room, 'bob', 's-bob');
    await alice.roundTrip();

    const idle = await worker.inspect(room);
    assert.equal(idle.participants, 2);
    // Only the sockets' token-expiry deadlines wait, as far off as the tokens live: an alarm that far ahead
    // lets the object hibernate. No join timeout or anything due soon.
    assert.ok(idle.pendingCallbacks <= 2, `one expiry deadline per socket at most: ${idle.pendingCallbacks}`);
    assert.ok(
      idle.nextCallbackInMs === undefined || idle.nextCallbackInMs > 5 * 60_000,
      `nothing due soon in an idle room: ${idle.nextCallbackInMs} ms`,
    );

    await worker.stack.hibernate(room);
    const heartbeatsSentAt = Date.now();
    for (let i = 0; i < 3; i++) alice.send(HEARTBEAT_PING);
    for (let i = 0; i < 3; i++) await alice.next('pong');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const askedAt = Date.now();
    const woken = await worker.inspect(room);
    assert.equal(woken.wakes, idle.wakes + 1, 'exactly one wake: the inspection itself');
    assert.ok(
      woken.wokeAt >= askedAt - 50,
      `woke for the inspection (${woken.wokeAt - heartbeatsSentAt} ms after the pings)`,
    );
    assert.equal(woken.framesHandled, 0, 'the heartbeats ran no code in the object');
    assert.equal(woken.participants, 2, 'the roster came back from storage');

    // The sockets survived hibernation: frames still reach the room, identities from the attachments.
    alice.send({ v, type: 'update-state', state: { handRaised: true } });
    assert.equal((await bob.next('participant-state')).participantId, 'alice');
    const carol = await join(room, 'carol');
    const hello = carol.messages.find((m) => m.type === 'hello');
    assert.ok(hello?.type === 'hello');
    assert.deepEqual(hello.participants.map((p) => p.id).sort(), ['alice', 'bob', 'carol']);
    assert.deepEqual(hello.publications.map((p) => p.trackName).sort(), ['alice-cam', 'bob-cam']);
    assert.equal(hello.participants.find((p) => p.id === 'alice')?.state.handRaised, true);
    assert.equal(
      await worker.isPublished(room, 's-bob', 'bob-cam'),
      true,
      'the proxy sees the same publications',
    );
  });

  it('a socket whose token runs out while its object hibernates still closes with 4440, refreshable after the wake', async () => {
    const room = 'expiring';
    // Tokens issued in the past, so that exp + the clock tolerance falls a few seconds from now.
    const issuedAgo = (secondsLeft: number) => () =>
      Date.now() - (TTL_SECONDS + CLOCK_TOLERANCE_SECONDS - secondsLeft) * 1000;
    const joinUntil = async (userId: string, secondsLeft: number) => {
      const client = await PresenceTestClient.open(worker.url, room, worker.url);
      clients.push(client);
      const token = await testToken(room, userId, issuedAgo(secondsLeft), { ttlSeconds: TTL_SECONDS });
      client.send({ v, type: 'join', token });
      await client.next('hello');
      return client;
    };
    const ada = await joinUntil('ada', 4);
    const bob = await joinUntil('bob', 4);
    // Bob refreshes before the object sleeps; the wake must know his new deadline, and still know him.
    bob.send({ v, type: 'refresh', token: await testToken(room, 'bob', Date.now, { ttlSeconds: 600 }) });
    await bob.next('refreshed');
    await worker.stack.hibernate(room);
    const hibernatedAt = Date.now();

    const notClosed = new Promise<{ code: number }>((resolve) =>
      setTimeout(() => resolve({ code: 0 }), 15_000),
    );
    const closed = await Promise.race([ada.closed, notClosed]);
    assert.equal(closed.code, PresenceCloseCode.tokenExpired, 'the expiry came back with the wake');
    assert.ok(Date.now() - hibernatedAt < 15_000, `closed ${Date.now() - hibernatedAt} ms after hibernating`);
    assert.ok((await worker.inspect(room)).wakes >= 2, 'the object had really lost its memory');
    assert.equal((await bob.next('participant-left')).participantId, 'ada');
    // Bob's refresh was remembered: a second refresh after the wake is for the same user, not refused.
    bob.send({ v, type: 'refresh', token: await testToken(room, 'bob', Date.now, { ttlSeconds: 600 }) });
    await bob.next('refreshed');
    assert.equal(bob.ws.readyState, bob.ws.OPEN);
  });

  it('survives a workerd restart mid-call: reconnecting clients find the room as it was, no duplicates', async () => {
    const room = 'restarted';
    const alice = await joinAndPublish(room, 'alice', 's-alice-r');
    const bob = await joinAndPublish(room, 'bob', 's-bob-r');
    await alice.roundTrip();

    await worker.stack.restart();
    await Promise.all([alice.closed, bob.closed]);

    // Alice comes back first (a new socket; her SFU session is unchanged) and finds Bob with his camera.
    const alice2 = await join(room, 'alice');
    const hello = alice2.messages.find((m) => m.type === 'hello');
    assert.ok(hello?.type === 'hello');
    assert.deepEqual(ids(hello.participants), ['alice', 'bob']);
    assert.deepEqual(tracks(hello.publications), ['bob-cam@s-bob-r']);
    alice2.send({ v, type: 'publish', track: camera('s-alice-r', 'alice-cam') });
    await alice2.next('track-published');
    assert.equal(
      await worker.isPublished(room, 's-alice-r', 'alice-cam'),
      true,
      'session ownership survived',
    );

    // Bob reconnects: the roster he builds from hello and what follows has each of them once.
    const bob2 = await join(room, 'bob');
    bob2.send({ v, type: 'publish', track: camera('s-bob-r', 'bob-cam') });
    await bob2.next('track-published');
    await bob2.roundTrip();
    await alice2.roundTrip();
    const bobHello = bob2.messages.find((m) => m.type === 'hello');
    assert.ok(bobHello?.type === 'hello');
    assert.deepEqual(ids(bobHello.participants), ['alice', 'bob']);
    assert.deepEqual(tracks(bobHello.publications), ['alice-cam@s-alice-r']);
    assert.deepEqual(rosterSeenBy(alice2), ['alice', 'bob'], 'no duplicate tile for Bob on Alice’s page');
    assert.equal((await worker.inspect(room)).participants, 2);
  });

  it('a user a host removed stays refused after a workerd restart, by presence and by the proxy', async () => {
    const room = 'banned';
    const host = await join(room, 'host', true);
    const bob = await join(room, 'bob');
    host.send({ v, type: 'moderate', action: 'remove', participantId: 'bob' });
    assert.equal((await bob.closed).code, PresenceCloseCode.removed);
    await host.next('participant-left');
    const admitBob = () =>
      worker.stack.rpc<Admission>(
        room,
        'admit',
        { kind: 'new-session' },
        undefined,
        claimsFor('bob', { room }),
      );
    assert.equal((await admitBob()).ok, false);

    await worker.stack.restart();
    await host.closed;
    const admission = await admitBob();
    assert.ok(
      !admission.ok && admission.status === 403,
      `the proxy still refuses him: ${JSON.stringify(admission)}`,
    );
    assert.equal(admission.errorCode, 'removed');
    // A fresh token for the same user and room: closed with 4410 before any hello.
    const again = await PresenceTestClient.open(worker.url, room, worker.url);
    clients.push(again);
    again.send({ v, type: 'join', token: await testToken(room, 'bob', Date.now) });
    assert.equal((await again.closed).code, PresenceCloseCode.removed);
    assert.equal(
      again.messages.some((m) => m.type === 'hello'),
      false,
      'no hello for a removed user',
    );
    // Others are not refused: the ban names one user.
    const ann = await join(room, 'ann');
    assert.equal(ann.ws.readyState, ann.ws.OPEN);
    assert.equal(
      (
        await worker.stack.rpc<Admission>(
          room,
          'admit',
          { kind: 'new-session' },
          undefined,
          claimsFor('ann', { room }),
        )
      ).ok,
      true,
    );
  });

  it('keeps the breakout rooms and who is in which through hibernation, and a running countdown still ends', async () => {
    const room = 'breakouts';
    const ask = (request: BreakoutRequest) => ({ v, type: 'breakout', request }) as const;
    const host = await joinAndPublish(room, 'host', 's-host-b', true);
    const ann = await joinAndPublish(room, 'ann', 's-ann-b');
    const ben = await joinAndPublish(room, 'ben', 's-ben-b');
    const cat = await joinAndPublish(room, 'cat', 's-cat-b');
    host.send(ask({ action: 'configure', rooms: ['Red', 'Blue'] }));
    host.send(ask({ action: 'assign', participantId: 'ann', roomId: 'room-1' }));
    host.send(ask({ action: 'assign', participantId: 'ben', roomId: 'room-1' }));
    host.send(ask({ action: 'assign', participantId: 'cat', roomId: 'room-2' }));
    host.send(ask({ action: 'open' }));
    assert.equal((await cat.next('breakout-moved')).roomId, 'room-2');
    assert.equal((await ann.next('breakout-moved')).roomId, 'room-1');
    await host.roundTrip();
    const pullable = (sessionId: string, trackName: string, viewerId: string) =>
      worker.stack.rpc<boolean>(room, 'isPublished', room, sessionId, trackName, viewerId);
    const before = await worker.inspect(room);

    await worker.stack.hibernate(room);
    assert.equal(await pullable('s-ben-b', 'ben-cam', 'ann'), true, 'Ann may pull her breakout partner');
    assert.equal(await pullable('s-cat-b', 'cat-cam', 'ann'), false, 'but not Cat in the other breakout');
    assert.equal((await worker.inspect(room)).wakes, before.wakes + 1, 'the object had lost its memory');
    // Frames stay within the breakout: Ben sees Ann's mic go on, Cat does not.
    ann.messages.length = 0;
    ben.messages.length = 0;
    cat.messages.length = 0;
    ann.send({ v, type: 'update-state', state: { micOn: true } });
    assert.equal((await ben.next('participant-state')).participantId, 'ann');
    await cat.roundTrip();
    assert.equal(
      cat.messages.some((m) => m.type === 'participant-state'),
      false,
      'Cat in the other breakout hears nothing of Ann',
    );

    // Close with a countdown, and lose the memory while it runs: the alarm brings everyone back on time.
    host.send(ask({ action: 'close', countdownSeconds: 2 }));
    assert.equal((await ann.next('breakouts')).phase, 'closing');
    await host.roundTrip();
    await worker.stack.hibernate(room);
    const hibernatedAt = Date.now();
    const back = await Promise.all([ann, ben, cat].map((client) => client.next('breakout-moved', 15_000)));
    assert.deepEqual(
      back.map((moved) => moved.roomId),
      ['main', 'main', 'main'],
    );
    assert.ok(Date.now() - hibernatedAt < 10_000, `back ${Date.now() - hibernatedAt} ms after hibernating`);
    assert.deepEqual(back[2]?.participants.map((p) => p.id).sort(), ['ann', 'ben', 'cat', 'host']);
    assert.equal(await pullable('s-cat-b', 'cat-cam', 'ann'), true, 'everyone pulls everyone again');
  });

  it('a participant reconnecting after a workerd restart lands in their breakout room', async () => {
    const room = 'breakouts-restarted';
    const ask = (request: BreakoutRequest) => ({ v, type: 'breakout', request }) as const;
    const host = await joinAndPublish(room, 'host', 's-host-r2', true);
    const ann = await joinAndPublish(room, 'ann', 's-ann-r2');
    const ben = await joinAndPublish(room, 'ben', 's-ben-r2');
    host.send(ask({ action: 'configure', rooms: ['Red', 'Blue'] }));
    host.send(ask({ action: 'assign', participantId: 'ann', roomId: 'room-1' }));
    host.send(ask({ action: 'assign', participantId: 'ben', roomId: 'room-2' }));
    host.send(ask({ action: 'open' }));
    await ann.next('breakout-moved');
    await ben.next('breakout-moved');
    await host.roundTrip();

    await worker.stack.restart();
    await Promise.all([host.closed, ann.closed, ben.closed]);
    const ann2 = await join(room, 'ann');
    const hello = ann2.messages.find((m) => m.type === 'hello');
    assert.ok(hello?.type === 'hello');
    assert.deepEqual(ids(hello.participants), ['ann'], 'alone in Red: Ben and the host are elsewhere');
    const plan = await ann2.next('breakouts');
    assert.equal(plan.phase, 'open');
    assert.deepEqual(
      plan.rooms.map((r) => r.name),
      ['Red', 'Blue'],
    );
    assert.deepEqual(plan.people.map((p) => `${p.id}:${p.current}`).sort(), [
      'ann:room-1',
      'ben:room-2',
      'host:main',
    ]);
  });
});

const ids = (participants: readonly Participant[]) => participants.map((p) => p.id).sort();
const tracks = (publications: readonly Publication[]) =>
  publications.map((p) => `${p.trackName}@${p.sessionId}`).sort();

/** The roster a page holds after applying hello and every join and leave it received, in order. */
function rosterSeenBy(client: PresenceTestClient): string[] {
  const roster: string[] = [];
  for (const message of client.messages) {
    if (message.type === 'hello') roster.push(...message.participants.map((p) => p.id));
    if (message.type === 'participant-joined') roster.push(message.participant.id);
    if (message.type === 'participant-left') roster.splice(roster.indexOf(message.participantId), 1);
  }
  return roster.sort();
}
