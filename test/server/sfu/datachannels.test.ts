// The local SFU's DataChannel API with werift peers playing the browser: both ways to establish SCTP,
// publish/subscribe by name with SFU-chosen ids, fan-out, delivery policy, waitForAck, canReply, update,
// close, errors, the GET listing, limits and cleanup.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { MAX_DATA_CHANNEL_MESSAGE_BYTES } from '../../../server/sfu/limits.js';
import { channelOpen, collect, DataPeer, until } from '../../support/werift-data-peers.js';
import { sfuRequest, type SfuApi } from '../../support/werift-peers.js';

const APP = 'dc-app';
const SECRET = 'dc-secret';
const ACK_TIMEOUT_MS = 1_500;

let sfu: LocalSfu;
let api: SfuApi;
const peers: DataPeer[] = [];

async function peer(form: 'legacy' | 'established' = 'legacy'): Promise<DataPeer> {
  const created = form === 'legacy' ? await DataPeer.legacy(api) : await DataPeer.established(api);
  peers.push(created);
  return created;
}

before(async () => {
  sfu = await startLocalSfu({
    port: 0,
    appId: APP,
    appSecret: SECRET,
    dataChannelAckTimeoutMs: ACK_TIMEOUT_MS,
    onError: () => {},
  });
  api = { base: `${sfu.baseUrl}/v1/apps/${APP}`, headers: { authorization: `Bearer ${SECRET}` } };
});

after(async () => {
  await Promise.all(peers.map((p) => p.close()));
  await sfu.close();
  assert.equal(sfu.stats().timers, 0);
});

describe('establishing SCTP', () => {
  test('the older form: an offer with m=application to sessions/new is answered and connects', async () => {
    const p = await peer('legacy');
    assert.equal(p.serverEvents.readyState, 'open');
    const state = await sfuRequest(api, 'GET', `/sessions/${p.sessionId}`);
    assert.deepEqual(state.json.dataChannels, []);
  });

  test('the newer form: establish offers (requiresImmediateRenegotiation) and opens server-events', async () => {
    const p = await peer('established');
    assert.equal(p.serverEvents.label, 'server-events');
    assert.equal(p.serverEvents.readyState, 'open');
  });

  test('establish on an established session returns without SDP', async () => {
    const p = await peer('established');
    const { status, json } = await sfuRequest(api, 'POST', `/sessions/${p.sessionId}/datachannels/establish`);
    assert.equal(status, 200);
    assert.equal(json.requiresImmediateRenegotiation, false);
    assert.equal(json.sessionDescription, undefined);
    assert.equal((json.dataChannel as { dataChannelName: string }).dataChannelName, 'server-events');
  });

  test('establish with an offer lacking m=application is refused', async () => {
    const created = await sfuRequest(api, 'POST', '/sessions/new');
    const { RTCPeerConnection, MediaStreamTrack } = await import('werift');
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const { status, json } = await sfuRequest(
      api,
      'POST',
      `/sessions/${String(created.json.sessionId)}/datachannels/establish`,
      { sessionDescription: pc.localDescription },
    );
    await pc.close();
    assert.ok(status === 406 || status === 400, `status ${status}`);
    assert.equal(typeof json.errorCode, 'string');
  });

  test('datachannels/new before SCTP exists is refused with invalid_params', async () => {
    const created = await sfuRequest(api, 'POST', '/sessions/new');
    const { status, json } = await sfuRequest(
      api,
      'POST',
      `/sessions/${String(created.json.sessionId)}/datachannels/new`,
      { dataChannels: [{ location: 'local', dataChannelName: 'x' }] },
    );
    assert.equal(status, 406);
    assert.equal(json.errorCode, 'invalid_params');
  });
});

describe('publish and subscribe', () => {
  test('one publisher fans out to every subscriber, in order, with differing ids', async () => {
    const [pub, a, b] = [await peer(), await peer('established'), await peer()];
    const out = await pub.publish('chat');
    const inA = collect(await a.subscribe(pub, 'chat'));
    const inB = collect(await b.subscribe(pub, 'chat'));
    for (let i = 0; i < 50; i++) out.send(`m${i}`);
    const expected = Array.from({ length: 50 }, (_, i) => `m${i}`);
    await until(() => inA.length === 50 && inB.length === 50, 5_000, 'fan-out');
    assert.deepEqual(inA, expected);
    assert.deepEqual(inB, expected);
    const listing = await sfuRequest(api, 'GET', `/sessions/${a.sessionId}`);
    assert.deepEqual(
      (listing.json.dataChannels as Record<string, unknown>[]).map(
        ({ location, dataChannelName, sessionId, status }) => ({
          location,
          dataChannelName,
          sessionId,
          status,
        }),
      ),
      [{ location: 'remote', dataChannelName: 'chat', sessionId: pub.sessionId, status: 'active' }],
    );
    const pubListing = await sfuRequest(api, 'GET', `/sessions/${pub.sessionId}`);
    const [local] = pubListing.json.dataChannels as Record<string, unknown>[];
    assert.equal(local.location, 'local');
    assert.equal(local.status, 'active');
    assert.equal(typeof local.id, 'number');
  });

  test('subscribers cannot send to the publisher without canReply', async () => {
    const [pub, sub] = [await peer(), await peer()];
    const inPub = collect(await pub.publish('one-way'));
    const back = await sub.subscribe(pub, 'one-way');
    back.send('should not arrive');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(inPub, []);
  });

  test('a duplicate local name is repeated_local_track_error; an unknown remote is not_found_track_error', async () => {
    const [pub, sub] = [await peer(), await peer()];
    await pub.publish('dup');
    const again = await pub.request([{ location: 'local', dataChannelName: 'dup' }]);
    assert.equal(again.status, 200);
    assert.equal(again.items[0].errorCode, 'repeated_local_track_error');
    const missing = await sub.request([
      { location: 'remote', sessionId: pub.sessionId, dataChannelName: 'nope' },
    ]);
    assert.equal(missing.items[0].errorCode, 'not_found_track_error');
  });

  test('a mixed batch is refused with invalid_params 406', async () => {
    const p = await peer();
    const mixed = await p.request([
      { location: 'local', dataChannelName: 'a' },
      { location: 'remote', sessionId: p.sessionId, dataChannelName: 'a' },
    ]);
    assert.equal(mixed.status, 406);
    assert.equal(mixed.items[0].errorCode, 'invalid_params');
  });
});

describe('delivery policy', () => {
  test('both limits at once is a per-item error', async () => {
    const p = await peer();
    const reply = await p.request([
      { location: 'local', dataChannelName: 'both', maxRetransmits: 1, maxPacketLifeTime: 100 },
    ]);
    assert.equal(reply.status, 200);
    assert.equal(reply.items[0].errorCode, 'invalid_params');
  });

  test('subscribers repeat the publisher policy; a different one is a per-item error', async () => {
    const [pub, sub] = [await peer(), await peer()];
    const out = await pub.publish('lossy', { ordered: false, maxRetransmits: 0 });
    const differing = await sub.request([
      { location: 'remote', sessionId: pub.sessionId, dataChannelName: 'lossy', ordered: true },
    ]);
    assert.equal(differing.items[0].errorCode, 'invalid_params');
    const same = collect(
      await sub.subscribe(
        pub,
        'lossy',
        { ordered: false, maxRetransmits: 0 },
        { ordered: false, maxRetransmits: 0 },
      ),
    );
    out.send('hi');
    await until(() => same.length === 1, 5_000, 'lossy delivery');
    assert.deepEqual(same, ['hi']);
  });
});

describe('waitForAck and canReply', () => {
  test('waitForAck holds delivery until the first message, which is consumed', async () => {
    const [pub, sub] = [await peer(), await peer()];
    const out = await pub.publish('acked');
    const inPub = collect(out);
    const channel = await sub.subscribe(pub, 'acked', { waitForAck: true });
    const received = collect(channel);
    out.send('before ack');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(received, []);
    channel.send('ack');
    await new Promise((resolve) => setTimeout(resolve, 200));
    out.send('after ack');
    await until(() => received.length === 1, 5_000, 'delivery after ack');
    assert.deepEqual(received, ['after ack']);
    assert.deepEqual(inPub, [], 'the ack is not forwarded');
  });

  test('no ack in time tears the subscription down', async () => {
    const [pub, sub] = [await peer(), await peer()];
    await pub.publish('silent');
    await sub.subscribe(pub, 'silent', { waitForAck: true });
    await new Promise((resolve) => setTimeout(resolve, ACK_TIMEOUT_MS + 500));
    const listing = await sfuRequest(api, 'GET', `/sessions/${sub.sessionId}`);
    const channels = listing.json.dataChannels as { status: string; dataChannelName: string }[];
    assert.deepEqual(
      channels.map((c) => [c.dataChannelName, c.status]),
      [['silent', 'inactive']],
    );
  });

  test('canReply goes to one subscriber at a time; update moves and revokes it', async () => {
    const [pub, a, b] = [await peer(), await peer(), await peer()];
    const inPub = collect(await pub.publish('controls'));
    const fromA = await a.subscribe(pub, 'controls', { canReply: true });
    const fromB = await b.subscribe(pub, 'controls');
    const idOfB = (await sfuRequest(api, 'GET', `/sessions/${b.sessionId}`)).json.dataChannels as {
      id: number;
    }[];
    fromA.send('a1');
    await until(() => inPub.length === 1, 5_000, 'reply from a');
    const granted = await sfuRequest(api, 'PUT', `/sessions/${b.sessionId}/datachannels/update`, {
      dataChannels: [{ id: idOfB[0].id, canReply: true }],
    });
    assert.equal((granted.json.dataChannels as { canReply: boolean }[])[0].canReply, true);
    fromA.send('a2 (replaced, dropped)');
    fromB.send('b1');
    await until(() => inPub.length === 2, 5_000, 'reply from b');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(inPub, ['a1', 'b1']);
    const missing = await sfuRequest(api, 'PUT', `/sessions/${b.sessionId}/datachannels/update`, {
      dataChannels: [{ id: 9999, canReply: true }],
    });
    assert.equal((missing.json.dataChannels as { errorCode: string }[])[0].errorCode, 'update_track_error');
  });
});

describe('close, limits and cleanup', () => {
  test('close ends a channel; closing it again is close_track_error', async () => {
    const [pub, sub] = [await peer(), await peer()];
    await pub.publish('closing');
    const channel = await sub.subscribe(pub, 'closing');
    const closed = await sfuRequest(api, 'PUT', `/sessions/${sub.sessionId}/datachannels/close`, {
      dataChannels: [{ id: channel.id }],
    });
    assert.equal((closed.json.dataChannels as { id: number; errorCode?: string }[])[0].errorCode, undefined);
    const again = await sfuRequest(api, 'PUT', `/sessions/${sub.sessionId}/datachannels/close`, {
      dataChannels: [{ id: channel.id }],
    });
    assert.equal((again.json.dataChannels as { errorCode: string }[])[0].errorCode, 'close_track_error');
  });

  test('closing the publication ends its subscribers', async () => {
    const [pub, sub] = [await peer(), await peer()];
    const out = await pub.publish('ending');
    await sub.subscribe(pub, 'ending');
    await sfuRequest(api, 'PUT', `/sessions/${pub.sessionId}/datachannels/close`, {
      dataChannels: [{ id: out.id }],
    });
    const listing = await sfuRequest(api, 'GET', `/sessions/${sub.sessionId}`);
    assert.deepEqual(
      (listing.json.dataChannels as { status: string }[]).map((c) => c.status),
      ['inactive'],
    );
    const resubscribe = await sub.request([
      { location: 'remote', sessionId: pub.sessionId, dataChannelName: 'ending' },
    ]);
    assert.equal(resubscribe.items[0].errorCode, 'not_found_track_error');
  });

  test('a message over the limit is dropped, smaller ones pass', async () => {
    const [pub, sub] = [await peer(), await peer()];
    const out = await pub.publish('big');
    const received = collect(await sub.subscribe(pub, 'big'));
    const dropped = sfu.stats().messagesDropped;
    // werift honours the SFU's a=max-message-size, so the oversize message has to skip its check.
    const sctp = (out as unknown as { sctp: { remoteMaxMessageSize: number } }).sctp;
    sctp.remoteMaxMessageSize = 0;
    out.send('x'.repeat(MAX_DATA_CHANNEL_MESSAGE_BYTES + 1));
    out.send('small');
    await until(() => received.length === 1, 5_000, 'the small message');
    assert.deepEqual(received, ['small']);
    assert.equal(sfu.stats().messagesDropped, dropped + 1);
  });

  test('more than 64 items in one call is invalid_params 406', async () => {
    const p = await peer();
    const items = Array.from({ length: 65 }, (_, i) => ({
      location: 'local' as const,
      dataChannelName: `c${i}`,
    }));
    const reply = await sfuRequest(api, 'POST', `/sessions/${p.sessionId}/datachannels/new`, {
      dataChannels: items,
    });
    assert.ok(reply.status === 400 || reply.status === 406, `status ${reply.status}`);
  });

  test('closing every session leaves no channel, association or timer', async () => {
    const [pub, sub] = [await peer(), await peer('established')];
    await pub.publish('last');
    await channelOpen(await sub.subscribe(pub, 'last', { waitForAck: true }));
    assert.ok(sfu.stats().dataChannels > 0);
    await Promise.all(peers.splice(0).map((p) => p.close()));
    // The SFU notices dead peers through its garbage collector; run it until every session is gone.
    let later = 0;
    await until(
      () => {
        later += 20_000;
        sfu.sweep(Date.now() + later);
        return sfu.stats().sessions === 0;
      },
      10_000,
      'sessions collected',
    );
    const stats = sfu.stats();
    assert.equal(stats.dataChannelPublications, 0);
    assert.equal(stats.dataChannels, 0);
    assert.equal(stats.sctpAssociations, 0);
  });
});
