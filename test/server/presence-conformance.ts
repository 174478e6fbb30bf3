// One presence conformance suite for every runtime adapter (Node `ws`, and the Worker's Room Durable Object in
// workerd): the same client script over real WebSockets, so each adapter proves it wraps the core the same way.
// A harness may answer asynchronously (the Durable Object's is reached over RPC); the assertions are shared.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCallToken, type CreateCallTokenOptions } from '../../server/core/call-token.js';
import type { Clock } from '../../server/core/clock.js';
import type { SessionOwner } from '../../server/core/session-registry.js';
import type { TokenBucketOptions } from '../../server/core/token-bucket.js';
import { PresenceCloseCode } from '../../src/protocol/close-codes.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { ManualClock, testToken } from '../support/presence-fixtures.js';
import {
  CLIENT_CLOSE_TIMEOUT_MS,
  HEARTBEAT_PING,
  PresenceTestClient,
} from '../support/presence-test-client.js';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';

/** How the suite configures a presence server. The adapter must not run its own sweep timer. */
export interface PresenceHarnessOptions {
  readonly tokenSecret: string;
  readonly now: Clock;
  readonly joinTimeoutMs: number;
  readonly messageRate: TokenBucketOptions;
}

type MaybeAsync<T> = T | Promise<T>;

/** A running presence server as the suite sees it. */
export interface PresenceHarness {
  /** Base URL (`http://host:port`); rooms are at `/rooms/<room>`. */
  readonly url: string;
  /** An Origin the server accepts. */
  readonly origin: string;
  /** What the SFU proxy records on `sessions/new`. */
  recordSession(sessionId: string, owner: SessionOwner): MaybeAsync<void>;
  isPublished(room: string, sessionId: string, trackName: string): MaybeAsync<boolean>;
  participantCount(room: string): MaybeAsync<number>;
  /** Runs the heartbeat sweep of `room` now, at the suite's clock. */
  sweep(room: string): MaybeAsync<void>;
  close(): Promise<void>;
}

export function presenceConformance(
  adapter: string,
  start: (options: PresenceHarnessOptions) => Promise<PresenceHarness>,
): void {
  describe(`presence conformance: ${adapter}`, () => {
    let clock: ManualClock;
    let harness: PresenceHarness;
    let room = 0;
    const clients: PresenceTestClient[] = [];

    const token = (userId: string, overrides: Partial<CreateCallTokenOptions> = {}) =>
      testToken(`room-${room}`, userId, clock.now, overrides);
    const join = async (userId: string, overrides: Partial<CreateCallTokenOptions> = {}) => {
      const client = await PresenceTestClient.join(
        harness.url,
        `room-${room}`,
        harness.origin,
        await token(userId, overrides),
      );
      clients.push(client);
      return client;
    };
    const open = async () => {
      const client = await PresenceTestClient.open(harness.url, `room-${room}`, harness.origin);
      clients.push(client);
      return client;
    };

    before(async () => {
      clock = new ManualClock(Date.now());
      harness = await start({
        tokenSecret: TEST_TOKEN_SECRET,
        now: clock.now,
        joinTimeoutMs: 300,
        messageRate: { capacity: 40, refillPerSecond: 20 },
      });
    });

    after(async () => {
      for (const client of clients) client.ws.terminate();
      await harness.close();
    });

    // Each test gets a fresh room.
    const next = () => void room++;

    it('joins with the roster, announces joins and leaves', async () => {
      next();
      const alice = await join('alice', { name: 'Alice' });
      // Not a publisher but a moderator: listed by name (plain viewers are only counted; see the audience tests).
      const bob = await join('bob', { name: 'Bob', canPublish: false, canModerate: true });
      const joined = await alice.next('participant-joined');
      assert.equal(joined.participant.id, 'bob');
      assert.equal(joined.participant.canPublish, false);

      const carol = await open();
      carol.send({ v, type: 'join', token: await token('carol') });
      const hello = await carol.next('hello');
      assert.equal(hello.self.id, 'carol');
      assert.deepEqual(
        hello.participants.map((p) => [p.id, p.name]),
        [
          ['alice', 'Alice'],
          ['bob', 'Bob'],
          ['carol', 'carol'],
        ],
      );

      await bob.close();
      const left = await alice.next('participant-left');
      assert.deepEqual([left.participantId, left.reason], ['bob', 'left']);
      assert.equal((await carol.next('participant-left')).participantId, 'bob');
    });

    it('tells everyone about publications, and again when they move to a new session', async () => {
      next();
      const alice = await join('alice');
      const bob = await join('bob');
      await harness.recordSession('s-alice-1', { userId: 'alice', room: `room-${room}` });
      await harness.recordSession('s-alice-2', { userId: 'alice', room: `room-${room}` });
      const track = { trackName: 'cam', kind: 'video', source: 'camera' } as const;
      alice.send({ v, type: 'publish', track: { ...track, sessionId: 's-alice-1' } });
      assert.equal((await bob.next('track-published')).publication.sessionId, 's-alice-1');
      alice.send({ v, type: 'publish', track: { ...track, sessionId: 's-alice-2' } });
      const moved = await bob.next('track-published');
      assert.deepEqual(moved.publication, { participantId: 'alice', ...track, sessionId: 's-alice-2' });

      const late = await join('late');
      assert.ok(await harness.isPublished(`room-${room}`, 's-alice-2', 'cam'));
      alice.send({ v, type: 'update-state', state: { micOn: true, handRaised: true } });
      const state = await late.next('participant-state');
      assert.deepEqual(state.state, { micOn: true, cameraOn: false, speaking: false, handRaised: true });
    });

    it('takes identity from the token: spoofed ids, names and track sessions are refused', async () => {
      next();
      const alice = await join('alice', { name: 'Alice' });
      const bob = await join('bob', { name: 'Bob' });
      await alice.next('participant-joined');
      await harness.recordSession('s-bob', { userId: 'bob', room: `room-${room}` });

      alice.send(
        JSON.stringify({
          v,
          type: 'update-state',
          participantId: 'bob',
          id: 'bob',
          name: 'Bob',
          state: { handRaised: true },
        }),
      );
      const update = await bob.next('participant-state');
      assert.equal(update.participantId, 'alice', 'the update applies to the sender only');

      alice.send({
        v,
        type: 'publish',
        track: { sessionId: 's-bob', trackName: 'fake', kind: 'video', source: 'camera' },
      });
      const error = await alice.next('error');
      assert.equal(error.code, 'not-session-owner');
      await bob.roundTrip();
      assert.ok(!bob.messages.some((m) => m.type === 'track-published'), 'nothing was broadcast');
      assert.equal(await harness.isPublished(`room-${room}`, 's-bob', 'fake'), false);

      alice.send(
        JSON.stringify({
          v,
          type: 'publish',
          track: { sessionId: 's-bob', trackName: 'x', kind: 'audio', source: 'camera' },
        }),
      );
      assert.equal((await alice.next('error')).code, 'bad-request');
    });

    it('needs a join frame with a valid token for this room, before any roster data', async () => {
      next();
      await join('alice');
      // (Not a ping: the widget's exact heartbeat may be answered below the protocol, joined or not.)
      const cases: [string | object | undefined, number][] = [
        [{ v, type: 'update-state', state: { micOn: true } }, PresenceCloseCode.unauthorized],
        [{ v, type: 'join', token: 'forged.token.value' }, PresenceCloseCode.unauthorized],
        [
          { v, type: 'join', token: await token('mallory', { room: 'elsewhere' }) },
          PresenceCloseCode.forbidden,
        ],
        [{ v: 99, type: 'join', token: await token('mallory') }, PresenceCloseCode.protocolError],
        ['not json', PresenceCloseCode.unauthorized],
        [undefined, PresenceCloseCode.unauthorized], // says nothing: the join timeout closes it
      ];
      for (const [frame, code] of cases) {
        const client = await open();
        const openedAt = performance.now();
        if (frame !== undefined) client.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
        const closed = await client.closed;
        assert.equal(closed.code, code, JSON.stringify(frame));
        assert.deepEqual(client.messages, [], 'no roster data before a successful join');
        if (frame === undefined) {
          // The join timeout (300 ms) closes it, and a browser sees the close by its own 2 s close timeout at
          // worst; generous for a loaded machine, well under the ~10 s until workerd would end the connection.
          const elapsed = performance.now() - openedAt;
          assert.ok(elapsed < 300 + CLIENT_CLOSE_TIMEOUT_MS + 3000, `4401 after ${elapsed.toFixed(0)} ms`);
        }
      }
      const expired = await createCallToken({
        secret: TEST_TOKEN_SECRET,
        room: `room-${room}`,
        userId: 'old',
        ttlSeconds: 60,
        now: () => clock.now() - 3_600_000,
      });
      const client = await open();
      client.send({ v, type: 'join', token: expired });
      assert.equal((await client.closed).code, PresenceCloseCode.unauthorized);
    });

    it('closes with 1009 on an oversized frame and keeps the room alive', async () => {
      next();
      const alice = await join('alice');
      const bob = await join('bob');
      bob.send('x'.repeat(17 * 1024));
      assert.equal((await bob.closed).code, PresenceCloseCode.frameTooBig);
      assert.equal((await alice.next('participant-left')).participantId, 'bob');
      await alice.roundTrip();
    });

    it('closes with 1008 when flooded', async () => {
      next();
      const alice = await join('alice');
      const flooder = await join('flooder');
      for (let i = 0; i < 200; i++)
        flooder.send({ v, type: 'update-state', state: { speaking: i % 2 === 0 } });
      assert.equal((await flooder.closed).code, PresenceCloseCode.rateLimited);
      assert.equal((await alice.next('participant-left')).participantId, 'flooder');
      await alice.roundTrip();
    });

    it('answers malformed frames with an error frame, no stack trace, and stays connected', async () => {
      next();
      const alice = await join('alice');
      const frames = [
        'not json',
        '{"v":1,"type":"mute-everyone"}',
        '['.repeat(8000) + ']'.repeat(8000),
        '{"v":1,"type":"update-state","state":{"micOn":"yes"}}',
        '{"v":1,"type":"ping","__proto__":{"polluted":true}}',
        Buffer.from([0xde, 0xad, 0xbe, 0xef]),
      ];
      for (const frame of frames) alice.send(frame);
      await alice.roundTrip();
      await alice.roundTrip();
      const errors = alice.messages.filter((m) => m.type === 'error');
      assert.equal(errors.length, 5, JSON.stringify(errors));
      for (const error of errors) {
        assert.ok(error.type === 'error' && error.code === 'bad-request');
        assert.doesNotMatch(JSON.stringify(error), /\bat |\.ts|node:|Error:/, 'no stack trace');
      }
      assert.equal(({} as { polluted?: boolean }).polluted, undefined);
      assert.deepEqual(alice.undecodable, []);
    });

    it('lets the newest tab of a user win and closes the old one with 4409', async () => {
      next();
      const tab1 = await join('alice');
      const bob = await join('bob');
      const tab2 = await join('alice');
      assert.equal((await tab1.closed).code, PresenceCloseCode.replaced);
      assert.equal((await bob.next('participant-left')).reason, 'replaced');
      assert.equal((await bob.next('participant-joined')).participant.id, 'alice');
      await tab2.roundTrip();
      assert.equal(await harness.participantCount(`room-${room}`), 2);
    });

    it('refuses host frames from a guest, and lets a host remove: 4410, rejoin refused', async () => {
      next();
      const host = await join('host', { canModerate: true });
      const guest = await join('guest');
      const other = await join('other');
      guest.send({ v, type: 'moderate', action: 'remove', participantId: 'host' });
      assert.equal((await guest.next('error')).code, 'forbidden');
      guest.send({ v, type: 'hand', raised: true });
      assert.deepEqual(
        (await other.next('hands')).hands.map((h) => h.participantId),
        ['guest'],
      );
      host.send({ v, type: 'moderate', action: 'remove', participantId: 'guest' });
      assert.equal((await guest.closed).code, PresenceCloseCode.removed);
      const left = await other.next('participant-left');
      assert.deepEqual([left.participantId, left.reason], ['guest', 'removed']);
      assert.deepEqual((await other.next('hands')).hands, [], "the removed guest's hand goes down");
      const again = await open();
      again.send({ v, type: 'join', token: await token('guest') });
      assert.equal((await again.closed).code, PresenceCloseCode.removed, 'a rejoin is refused');
      await host.roundTrip();
      assert.equal(await harness.participantCount(`room-${room}`), 2);
    });

    it('answers the widget’s idle heartbeat, the exact ping it sends, with a pong', async () => {
      next();
      const alice = await join('alice');
      for (let i = 0; i < 3; i++) alice.send(HEARTBEAT_PING);
      for (let i = 0; i < 3; i++) await alice.next('pong');
      await alice.roundTrip();
      assert.deepEqual(alice.undecodable, []);
    });

    it('removes a silent participant after the heartbeat timeout, not after 60 s', async () => {
      next();
      const silent = await join('silent');
      const bob = await join('bob');
      clock.advance(61_000);
      await bob.roundTrip();
      await harness.sweep(`room-${room}`);
      await bob.roundTrip();
      assert.ok(!bob.messages.some((m) => m.type === 'participant-left'), 'still there after 61 s');

      clock.advance(30_000);
      await bob.roundTrip();
      await harness.sweep(`room-${room}`);
      assert.equal((await silent.closed).code, PresenceCloseCode.heartbeatTimeout);
      const left = await bob.next('participant-left');
      assert.deepEqual([left.participantId, left.reason], ['silent', 'timeout']);
    });
  });
}
