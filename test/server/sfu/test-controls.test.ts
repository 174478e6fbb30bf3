// The fault suite's hooks into the local SFU: the media blackhole (in-process and over the opt-in `/test/`
// routes) and the stats route. A blackholed session neither receives nor sends, and media comes back after.
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { SyntheticPublisher, SyntheticSubscriber, type SfuApi } from '../../support/werift-peers.js';

let sfu: LocalSfu;
let plain: LocalSfu;
let api: SfuApi;
const auth = { authorization: 'Bearer controls' };

before(async () => {
  [sfu, plain] = await Promise.all([
    startLocalSfu({ port: 0, appId: 'controls', appSecret: 'controls', testControls: true }),
    startLocalSfu({ port: 0, appId: 'controls', appSecret: 'controls' }),
  ]);
  api = { base: `${sfu.baseUrl}/v1/apps/controls`, headers: { ...auth, 'content-type': 'application/json' } };
});

after(async () => {
  await Promise.all([sfu?.close(), plain?.close()]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startCall(t: TestContext) {
  const publisher = await SyntheticPublisher.create(api, 200);
  t.after(() => publisher.close());
  publisher.sendOne(true);
  const subscriber = await SyntheticSubscriber.create(api, publisher);
  t.after(() => subscriber.close());
  publisher.start(50);
  return { publisher, subscriber };
}

function blackholeOverHttp(base: string, sessionId: string, body: unknown, headers = auth) {
  return fetch(`${base}/test/sessions/${sessionId}/blackhole`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

test('the /test/ routes exist only when the SFU is started with testControls, and need the app secret', async () => {
  const absent = await fetch(`${plain.baseUrl}/test/stats`, { headers: auth });
  assert.equal(absent.status, 404);
  assert.equal(((await absent.json()) as { errorCode: string }).errorCode, 'not_found');
  assert.equal((await blackholeOverHttp(plain.baseUrl, 'x', { ms: 10 })).status, 404);

  assert.equal((await fetch(`${sfu.baseUrl}/test/stats`)).status, 401);
  const stats = await fetch(`${sfu.baseUrl}/test/stats`, { headers: auth });
  assert.equal(stats.status, 200);
  assert.deepEqual(Object.keys((await stats.json()) as object), Object.keys(sfu.stats()));
  assert.equal((await blackholeOverHttp(sfu.baseUrl, 'nope', { ms: 10 })).status, 410);
  assert.equal((await blackholeOverHttp(sfu.baseUrl, 'nope', { ms: -1 })).status, 406);
  assert.equal(
    (await blackholeOverHttp(sfu.baseUrl, 'nope', { ms: 10 }, { authorization: 'x' })).status,
    401,
  );
});

test("a blackhole over HTTP stops what the subscriber's session sends, for as long as asked", async (t) => {
  const { subscriber } = await startCall(t);
  await sleep(300);
  assert.ok(subscriber.take().received > 0, 'media flows before');

  const reply = await blackholeOverHttp(sfu.baseUrl, subscriber.sessionId, { ms: 2_000 });
  assert.equal(reply.status, 200);
  await sleep(200); // packets already in flight
  subscriber.take();
  await sleep(1_500);
  assert.equal(subscriber.take().received, 0, 'nothing arrives during the blackhole');
  await sleep(1_500);
  assert.ok(subscriber.take().received > 0, 'media comes back after it');
});

test("an in-process blackhole stops what the publisher's session receives, and ends early with 0", async (t) => {
  const { publisher, subscriber } = await startCall(t);
  await sleep(300);
  sfu.blackhole(publisher.sessionId, 60_000);
  await sleep(200);
  const packetsIn = sfu.stats().packetsIn;
  subscriber.take();
  await sleep(1_000);
  assert.equal(sfu.stats().packetsIn, packetsIn, 'no packet from the publisher reaches the SFU');
  assert.equal(subscriber.take().received, 0, 'so none reaches the subscriber');

  sfu.blackhole(publisher.sessionId, 0);
  await sleep(1_000);
  assert.ok(sfu.stats().packetsIn > packetsIn, 'the publisher gets through again');
  assert.ok(subscriber.take().received > 0, 'and the subscriber receives again');
});

test('after every client has gone, two forced sweeps leave no session, transceiver, forwarder or timer', async (t) => {
  const { publisher, subscriber } = await startCall(t);
  await sleep(300);
  assert.ok(sfu.stats().forwarders > 0);
  await subscriber.close();
  await publisher.close();
  const now = Date.now();
  sfu.sweep(now + 20_000); // notes each session's last activity
  sfu.sweep(now + 40_000); // and drops the ones silent since
  await sleep(100);
  const { sessions, publications, transceivers, forwarders, timers } = sfu.stats();
  assert.deepEqual(
    { sessions, publications, transceivers, forwarders, timers },
    { sessions: 0, publications: 0, transceivers: 0, forwarders: 0, timers: 0 },
  );
});
