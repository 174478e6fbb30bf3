// Session behaviour through the HTTP API with synthetic werift peers: WHEP-style pulls, autoDiscover,
// tracks/update at any moment, and one SDP negotiation at a time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { chromeOffer } from '../../support/sdp-fixtures.js';
import { SyntheticPublisher, SyntheticSubscriber, type SfuApi } from '../../support/werift-peers.js';

let sfu: LocalSfu;
let api: SfuApi;

before(async () => {
  sfu = await startLocalSfu({ port: 0, appId: 'ses', appSecret: 'ses' });
  api = {
    base: `${sfu.baseUrl}/v1/apps/ses`,
    headers: { authorization: 'Bearer ses', 'content-type': 'application/json' },
  };
});

after(async () => {
  await sfu.close();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.base}${path}`, {
    method,
    headers: api.headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a pull with the subscriber’s own offer (WHEP style) is answered and media flows', async (t) => {
  const publisher = await SyntheticPublisher.create(api, 200);
  t.after(() => publisher.close());
  publisher.start(100);
  const subscriber = await SyntheticSubscriber.createWithOffer(api, publisher);
  t.after(() => subscriber.close());
  await until('media flows', () => subscriber.seen.length >= 5);
});

test('autoDiscover publishes every sending m-line under a generated name, with its kind', async () => {
  const { body } = await call('POST', '/sessions/new');
  const sdp = chromeOffer({
    sections: [
      { kind: 'video', mid: '0' },
      { kind: 'audio', mid: '1' },
    ],
  });
  const reply = await call('POST', `/sessions/${body.sessionId}/tracks/new`, {
    autoDiscover: true,
    sessionDescription: { type: 'offer', sdp },
  });
  assert.equal(reply.status, 200);
  const tracks = reply.body.tracks as { mid: string; trackName: string; kind: string }[];
  assert.deepEqual(
    tracks.map((t) => [t.mid, t.kind]),
    [
      ['0', 'video'],
      ['1', 'audio'],
    ],
  );
  assert.ok(tracks.every((t) => /^[0-9a-f-]{36}$/.test(t.trackName)));
});

test('tracks/update is accepted while the pull’s offer awaits its answer; other SDP work waits its turn', async (t) => {
  const publisher = await SyntheticPublisher.create(api, 200);
  t.after(() => publisher.close());
  publisher.sendOne(true);
  const { body } = await call('POST', '/sessions/new');
  const sessionId = body.sessionId as string;
  const pull = await call('POST', `/sessions/${sessionId}/tracks/new`, {
    tracks: [{ location: 'remote', sessionId: publisher.sessionId, trackName: publisher.trackName }],
  });
  assert.equal(pull.body.requiresImmediateRenegotiation, true);
  const [{ mid, sessionId: publisherSession, trackName }] = pull.body.tracks as Record<string, string>[];
  const pulled = { mid, sessionId: publisherSession, trackName };
  assert.match(pulled.mid, /^\d+$/);
  assert.equal(pulled.sessionId, publisher.sessionId);

  const automatic = await call('PUT', `/sessions/${sessionId}/tracks/update`, {
    tracks: [{ location: 'remote', ...pulled, simulcast: { preferredRid: '' } }],
  });
  assert.equal(automatic.status, 200);
  assert.deepEqual(automatic.body, { requiresImmediateRenegotiation: false, tracks: [pulled] });

  const notSimulcast = await call('PUT', `/sessions/${sessionId}/tracks/update`, {
    tracks: [{ location: 'remote', ...pulled, simulcast: { preferredRid: 'h' } }],
  });
  assert.equal((notSimulcast.body.tracks as { errorCode: string }[])[0].errorCode, 'update_track_error');

  const offerMeanwhile = await call('POST', `/sessions/${sessionId}/tracks/new`, {
    sessionDescription: { type: 'offer', sdp: chromeOffer({ sections: [{ kind: 'audio', mid: '5' }] }) },
    tracks: [{ location: 'local', mid: '5', trackName: 'late' }],
  });
  assert.equal(offerMeanwhile.status, 406);
  assert.equal(offerMeanwhile.body.errorCode, 'invalid_session_description');
});
