// What the SFU's answers and offers ask of a publishing browser, through the HTTP API: Opus DTX (usedtx=1), its
// simulcast layers kept when an SFU offer re-describes its camera, and its paused layers left paused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { chromeOffer } from '../../support/sdp-fixtures.js';

let sfu: LocalSfu;
let base: string;
const headers = { authorization: 'Bearer dtx', 'content-type': 'application/json' };

before(async () => {
  sfu = await startLocalSfu({ port: 0, appId: 'dtx', appSecret: 'dtx' });
  base = `${sfu.baseUrl}/v1/apps/dtx`;
});

after(async () => {
  await sfu.close();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The fmtp lines of the m-section with `mid`. */
function fmtpOf(sdp: string, mid: string): string[] {
  const sections = sdp.split(/\r\n(?=m=)/);
  const section = sections.find((s) => s.includes(`\r\na=mid:${mid}\r\n`)) ?? '';
  return section.split('\r\n').filter((l) => l.startsWith('a=fmtp:'));
}

test('the answer to a publisher asks for Opus DTX and leaves video alone', async () => {
  const { body } = await call('POST', '/sessions/new');
  const sdp = chromeOffer({
    sections: [
      { kind: 'audio', mid: '0' },
      { kind: 'video', mid: '1' },
    ],
  });
  const reply = await call('POST', `/sessions/${body.sessionId as string}/tracks/new`, {
    sessionDescription: { type: 'offer', sdp },
    tracks: [
      { location: 'local', mid: '0', trackName: 'mic' },
      { location: 'local', mid: '1', trackName: 'cam' },
    ],
  });
  assert.equal(reply.status, 200);
  const answer = (reply.body.sessionDescription as { sdp: string }).sdp;
  assert.deepEqual(fmtpOf(answer, '0'), ['a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1']);
  assert.ok(fmtpOf(answer, '1').every((line) => !line.includes('usedtx')));
});

test('an SFU offer (here for DataChannels) asks for Opus DTX on the published microphone too', async () => {
  const { body } = await call('POST', '/sessions/new');
  const sessionId = body.sessionId as string;
  const sdp = chromeOffer({ sections: [{ kind: 'audio', mid: '0' }] });
  const push = await call('POST', `/sessions/${sessionId}/tracks/new`, {
    sessionDescription: { type: 'offer', sdp },
    tracks: [{ location: 'local', mid: '0', trackName: 'mic' }],
  });
  assert.equal(push.status, 200);
  const establish = await call('POST', `/sessions/${sessionId}/datachannels/establish`);
  assert.equal(establish.status, 200, JSON.stringify(establish.body));
  const offer = establish.body.sessionDescription as { type: string; sdp: string };
  assert.equal(offer.type, 'offer');
  assert.deepEqual(fmtpOf(offer.sdp, '0'), ['a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1']);
});

test("an SFU offer keeps a published camera's simulcast RIDs, so the browser keeps sending every layer", async () => {
  const { body } = await call('POST', '/sessions/new');
  const sessionId = body.sessionId as string;
  const sdp = chromeOffer({ sections: [{ kind: 'video', mid: '0', rids: ['f', 'h', 'q'] }] });
  const push = await call('POST', `/sessions/${sessionId}/tracks/new`, {
    sessionDescription: { type: 'offer', sdp },
    tracks: [{ location: 'local', mid: '0', trackName: 'cam' }],
  });
  assert.equal(push.status, 200);
  const establish = await call('POST', `/sessions/${sessionId}/datachannels/establish`);
  const offer = (establish.body.sessionDescription as { sdp: string }).sdp;
  const video = offer.split(/\r\n(?=m=)/).find((s) => s.startsWith('m=video')) ?? '';
  assert.match(video, /^a=recvonly$/m);
  assert.deepEqual(
    video.split('\r\n').filter((l) => /^a=(rid|simulcast):/.test(l)),
    ['a=rid:f recv', 'a=rid:h recv', 'a=rid:q recv', 'a=simulcast:recv f;h;q'],
  );
});

test('the answer leaves the layers the browser paused paused', async () => {
  const { body } = await call('POST', '/sessions/new');
  const sdp = chromeOffer({ sections: [{ kind: 'video', mid: '0', rids: ['f', 'h', 'q'] }] }).replace(
    'a=simulcast:send f;h;q',
    'a=simulcast:send ~f;~h;q',
  );
  const push = await call('POST', `/sessions/${body.sessionId as string}/tracks/new`, {
    sessionDescription: { type: 'offer', sdp },
    tracks: [{ location: 'local', mid: '0', trackName: 'cam' }],
  });
  assert.equal(push.status, 200, JSON.stringify(push.body));
  const answer = (push.body.sessionDescription as { sdp: string }).sdp;
  assert.deepEqual(
    answer.split('\r\n').filter((l) => l.startsWith('a=simulcast:')),
    ['a=simulcast:recv ~f;~h;q'],
  );
});
