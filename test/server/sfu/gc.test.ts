// Garbage-collection rules, driven by passing a future `now` to one collector pass.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { chromeOffer } from '../../support/sdp-fixtures.js';
import { assertSfuIdle } from '../../support/sfu-idle.js';

let sfu: LocalSfu;
const headers = { authorization: 'Bearer s', 'content-type': 'application/json' };
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${sfu.baseUrl}/v1/apps/a${path}`, { headers, ...init });

before(async () => {
  sfu = await startLocalSfu({ port: 0, appId: 'a', appSecret: 's' });
});

after(async () => {
  await sfu.close();
});

async function publishWithoutMedia(): Promise<string> {
  const { sessionId } = (await (await api('/sessions/new', { method: 'POST' })).json()) as {
    sessionId: string;
  };
  const sdp = chromeOffer({ sections: [{ kind: 'video', mid: '0' }] });
  const reply = await api(`/sessions/${sessionId}/tracks/new`, {
    method: 'POST',
    body: JSON.stringify({
      sessionDescription: { type: 'offer', sdp },
      tracks: [{ location: 'local', mid: '0', trackName: 'v' }],
    }),
  });
  assert.equal(reply.status, 200);
  return sessionId;
}

test('a track without media for 30 s is collected; its session stays until the unconnected limit', async () => {
  const sessionId = await publishWithoutMedia();
  assert.equal(sfu.stats().publications, 1);
  sfu.sweep(Date.now() + 29_000);
  assert.equal(sfu.stats().publications, 1, 'not before 30 s');
  sfu.sweep(Date.now() + 31_000);
  assert.equal(sfu.stats().publications, 0);
  const state = (await (await api(`/sessions/${sessionId}`)).json()) as { tracks: { status: string }[] };
  assert.deepEqual(
    state.tracks.map((t) => t.status),
    ['inactive'],
  );

  sfu.sweep(Date.now() + 61_000);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await api(`/sessions/${sessionId}`)).status, 410, 'a session that never connects expires');
});

test('with no sessions left, the collector stops and no SFU timer remains', async () => {
  await publishWithoutMedia();
  assert.ok(sfu.stats().timers > 0, 'the collector runs while sessions exist');
  sfu.sweep(Date.now() + 61_000);
  await new Promise((r) => setTimeout(r, 50));
  assertSfuIdle(sfu.stats());
});
