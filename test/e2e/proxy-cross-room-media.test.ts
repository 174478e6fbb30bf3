// The two cross-room attacks of issue #10, replayed with synthetic werift peers against the real call server
// (tokens, presence WebSocket, proxy) and the local SFU. A victim in room A sends large packets; everyone in
// room B sends small ones, so a packet's size tells whose media reached the attacker without decrypting it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCallToken } from '../../server/core/call-token.js';
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack, type DevStack } from '../../server/node/dev-stack.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { PresenceTestClient } from '../support/presence-test-client.js';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';
import { SyntheticPublisher, SyntheticSubscriber, sfuRequest, type SfuApi } from '../support/werift-peers.js';

const VICTIM_PAYLOAD_BYTES = 1000;
const ROOM_B_PAYLOAD_BYTES = 200;
const PACKETS_PER_SECOND = 50;
const WATCH_MS = 3000;

const isVictimPacket = (bytes: number) => bytes > VICTIM_PAYLOAD_BYTES;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Member {
  readonly api: SfuApi;
  readonly presence: PresenceTestClient;
}

describe('proxy: no media crosses rooms (werift peers, call server, local SFU)', () => {
  let stack: DevStack;
  const closers: (() => Promise<unknown>)[] = [];
  let victim: SyntheticPublisher;
  let accomplice: SyntheticPublisher;
  let attacker: Member;

  before(async () => {
    stack = await startDevStack(
      readDevStackConfig({ PORT: '0', CALL_TOKEN_SECRET: TEST_TOKEN_SECRET, DEMO_TOKEN_ENDPOINT: 'off' }),
    );
    victim = await publisherIn(await member('A', 'victim'), VICTIM_PAYLOAD_BYTES);
    accomplice = await publisherIn(await member('B', 'accomplice'), ROOM_B_PAYLOAD_BYTES);
    attacker = await member('B', 'attacker');
  });

  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await stack?.close();
  });

  async function member(room: string, userId: string): Promise<Member> {
    const token = await createCallToken({ secret: TEST_TOKEN_SECRET, room, userId, canPublish: true });
    const presence = await PresenceTestClient.join(stack.url, room, stack.url, token);
    closers.push(() => presence.close());
    return {
      api: {
        base: `${stack.url}/partytracks`,
        headers: { authorization: `Bearer ${token}` },
        cookies: new Map(),
      },
      presence,
    };
  }

  /** Publishes through the proxy, announces the track in the member's room, and starts sending. */
  async function publisherIn(who: Member, payloadBytes: number): Promise<SyntheticPublisher> {
    const publisher = await SyntheticPublisher.create(who.api, payloadBytes);
    closers.push(() => publisher.close());
    const { sessionId, trackName } = publisher;
    who.presence.send({
      v,
      type: 'publish',
      track: { sessionId, trackName, kind: 'video', source: 'camera' },
    });
    await who.presence.roundTrip();
    publisher.start(PACKETS_PER_SECOND);
    return publisher;
  }

  const victimTrack = () => ({ sessionId: victim.sessionId, trackName: victim.trackName });

  /** The attacker's ordinary pull of a room-B track: a mid to try switching. */
  async function attackerPullsAccomplice(): Promise<SyntheticSubscriber> {
    const { sessionId, trackName } = accomplice;
    const pull = await SyntheticSubscriber.create(attacker.api, { sessionId, trackName });
    closers.push(() => pull.close());
    return pull;
  }

  it('the victim’s own room receives its media (the test can see it)', async () => {
    const roomMate = await member('A', 'room-mate');
    const subscriber = await SyntheticSubscriber.create(roomMate.api, victimTrack());
    closers.push(() => subscriber.close());
    await sleep(1000);
    assert.ok(subscriber.seen.filter((p) => isVictimPacket(p.bytes)).length > 10, 'victim packets arrive');
  });

  it('attack 1: tracks/new with autoDiscover and a remote track of another room gets 403 and no media', async () => {
    const { status, json, subscriber } = await SyntheticSubscriber.attempt(attacker.api, {
      autoDiscover: true,
      tracks: [{ location: 'remote', ...victimTrack() }],
    });
    if (subscriber) closers.push(() => subscriber.close());
    await sleep(WATCH_MS);
    const stolen = subscriber?.seen.filter((p) => isVictimPacket(p.bytes)).length ?? 0;
    assert.equal(stolen, 0, `${stolen} victim packets reached room B`);
    assert.equal(status, 403, JSON.stringify(json));
    assert.equal(json.errorCode, 'forbidden');
  });

  it('attack 2: tracks/update turning a pulled mid into a foreign "local" track gets 403 and no media', async () => {
    const pull = await attackerPullsAccomplice();
    const { status, json } = await sfuRequest(
      attacker.api,
      'PUT',
      `/sessions/${pull.sessionId}/tracks/update`,
      {
        tracks: [{ location: 'local', mid: pull.mid, ...victimTrack() }],
      },
    );
    const seenBefore = pull.seen.length;
    await sleep(WATCH_MS);
    const watched = pull.seen.slice(seenBefore);
    const stolen = watched.filter((p) => isVictimPacket(p.bytes)).length;
    assert.equal(stolen, 0, `${stolen} victim packets reached room B`);
    assert.equal(status, 403, JSON.stringify(json));
    assert.equal(json.errorCode, 'forbidden');
    assert.ok(watched.length > 10, 'the pull itself kept delivering room B’s media meanwhile');
  });

  it('the same switch, and a layer change, to a track of the attacker’s own room are allowed and deliver it', async () => {
    const second = await publisherIn(await member('B', 'second'), ROOM_B_PAYLOAD_BYTES + 100);
    const pull = await attackerPullsAccomplice();
    const { status, json } = await sfuRequest(
      attacker.api,
      'PUT',
      `/sessions/${pull.sessionId}/tracks/update`,
      {
        tracks: [
          { location: 'remote', mid: pull.mid, sessionId: second.sessionId, trackName: second.trackName },
        ],
      },
    );
    assert.equal(status, 200, JSON.stringify(json));
    // partytracks' simulcast switch sends the pull's metadata, its mid and the layer: the same rule.
    const layer = await sfuRequest(attacker.api, 'PUT', `/sessions/${pull.sessionId}/tracks/update`, {
      tracks: [
        {
          location: 'remote',
          sessionId: second.sessionId,
          trackName: second.trackName,
          mid: pull.mid,
          simulcast: { preferredRid: '' },
        },
      ],
    });
    assert.equal(layer.status, 200, JSON.stringify(layer.json));
    assert.deepEqual(
      (layer.json.tracks as { errorCode?: string }[]).map((t) => t.errorCode),
      [undefined],
      'the SFU applied it',
    );
    const seenBefore = pull.seen.length;
    await sleep(1000);
    const switched = pull.seen.slice(seenBefore).filter((p) => p.bytes > ROOM_B_PAYLOAD_BYTES + 50);
    assert.ok(switched.length > 10, `the second publisher’s packets arrive (${switched.length})`);
  });
});
