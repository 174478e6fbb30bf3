// Finding 9 of the reliability review (the server's contract): the call server restarts mid-call while the SFU
// keeps running. Media keeps flowing; the proxy answers 410 session_gone for sessions nobody proves; each
// client takes its session back with its lock, re-announces its track over presence, and new pulls work in
// both directions. Synthetic werift peers, the real call server and the local SFU, all on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCallToken } from '../../server/core/call-token.js';
import { startCallServer, type CallServer } from '../../server/node/call-server.js';
import { startLocalSfu, type LocalSfu } from '../../server/sfu/index.js';
import { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import { ProxyErrorCode } from '../../src/protocol/proxy-error-codes.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { PresenceTestClient } from '../support/presence-test-client.js';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';
import { SyntheticPublisher, SyntheticSubscriber, sfuRequest, type SfuApi } from '../support/werift-peers.js';

const SFU_SECRET = 'restart-test-sfu-secret-0123456789abcdef';
const ALICE_BYTES = 900;
const BOB_BYTES = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Peer {
  readonly userId: string;
  readonly token: string;
  readonly api: SfuApi;
  presence: PresenceTestClient;
  publisher: SyntheticPublisher;
}

/** Packets of the other peer's size that reached `subscriber` within `ms`. */
async function packetsFrom(subscriber: SyntheticSubscriber, bytes: number, ms = 1500): Promise<number> {
  const before = subscriber.seen.length;
  await sleep(ms);
  return subscriber.seen.slice(before).filter((p) => p.bytes > bytes && p.bytes < bytes + 100).length;
}

describe('call server restarted mid-call (SFU still up)', () => {
  let sfu: LocalSfu;
  let server: CallServer;
  let alice: Peer;
  let bob: Peer;
  const closers: (() => Promise<unknown>)[] = [];

  const startServer = () =>
    startCallServer({
      port: 0,
      tokenSecret: TEST_TOKEN_SECRET,
      upstream: {
        appId: sfu.appId,
        appSecret: SFU_SECRET,
        realtimeApiBaseUrl: `${sfu.baseUrl}/v1`,
        staticIceServers: [],
      },
    });

  async function peer(userId: string, payloadBytes: number): Promise<Peer> {
    const token = await createCallToken({ secret: TEST_TOKEN_SECRET, room: 'A', userId, canPublish: true });
    const api: SfuApi = {
      base: `${server.url}/partytracks`,
      headers: { authorization: `Bearer ${token}` },
      cookies: new Map(),
    };
    const presence = await PresenceTestClient.join(server.url, 'A', server.url, token);
    const publisher = await SyntheticPublisher.create(api, payloadBytes);
    closers.push(() => publisher.close());
    publisher.start(50);
    const joined: Peer = { userId, token, api, presence, publisher };
    await announce(joined);
    return joined;
  }

  async function announce(who: Peer): Promise<void> {
    const { sessionId, trackName } = who.publisher;
    who.presence.send({
      v,
      type: 'publish',
      track: { sessionId, trackName, kind: 'video', source: 'camera' },
    });
    await who.presence.roundTrip();
  }

  async function pull(who: Peer, from: Peer): Promise<SyntheticSubscriber> {
    const { sessionId, trackName } = from.publisher;
    const subscriber = await SyntheticSubscriber.create(who.api, { sessionId, trackName });
    closers.push(() => subscriber.close());
    return subscriber;
  }

  before(async () => {
    sfu = await startLocalSfu({ port: 0, appSecret: SFU_SECRET });
    server = await startServer();
    alice = await peer('alice', ALICE_BYTES);
    bob = await peer('bob', BOB_BYTES);
  });

  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await alice?.presence.close().catch(() => undefined);
    await bob?.presence.close().catch(() => undefined);
    await server?.close();
    await sfu?.close();
  });

  it('keeps media flowing both ways and lets each client take its session back', async () => {
    const aliceSeesBob = await pull(alice, bob);
    const bobSeesAlice = await pull(bob, alice);
    assert.ok((await packetsFrom(aliceSeesBob, BOB_BYTES)) > 10, 'bob → alice before the restart');
    assert.ok((await packetsFrom(bobSeesAlice, ALICE_BYTES)) > 10, 'alice → bob before the restart');

    await alice.presence.close();
    await bob.presence.close();
    await server.close();
    server = await startServer();
    for (const who of [alice, bob]) who.api.base = `${server.url}/partytracks`;

    assert.ok((await packetsFrom(aliceSeesBob, BOB_BYTES)) > 10, 'media does not need the call server');

    // Nobody proves the session: 410 session_gone (the page starts a new session), never 403.
    const stranger = await sfuRequest(
      { base: alice.api.base, headers: bob.api.headers },
      'GET',
      `/sessions/${alice.publisher.sessionId}`,
    );
    assert.equal(stranger.status, 410, JSON.stringify(stranger.json));
    assert.equal(stranger.json.errorCode, ProxyErrorCode.sessionGone);

    for (const who of [alice, bob]) {
      who.presence = await PresenceTestClient.join(server.url, 'A', server.url, who.token);
      // Re-announcing before the proxy knows the session again is refused…
      who.presence.send({
        v,
        type: 'publish',
        track: {
          sessionId: who.publisher.sessionId,
          trackName: who.publisher.trackName,
          kind: 'video',
          source: 'camera',
        },
      });
      const refused = await who.presence.next('error');
      assert.equal(refused.code, PresenceErrorCode.notSessionOwner);
      // …so the client first takes its session back with its lock cookie…
      const reclaimed = await sfuRequest(who.api, 'GET', `/sessions/${who.publisher.sessionId}`);
      assert.equal(reclaimed.status, 200, `${who.userId}: ${JSON.stringify(reclaimed.json)}`);
      // …then announces its track again.
      await announce(who);
    }

    const aliceSeesBobAgain = await pull(alice, bob);
    const bobSeesAliceAgain = await pull(bob, alice);
    assert.ok((await packetsFrom(aliceSeesBobAgain, BOB_BYTES)) > 10, 'bob → alice after the restart');
    assert.ok((await packetsFrom(bobSeesAliceAgain, ALICE_BYTES)) > 10, 'alice → bob after the restart');
  });
});
