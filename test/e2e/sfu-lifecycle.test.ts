// Lifecycle through the local SFU: forced closes, garbage collection of abandoned sessions (partytracks
// never closes one), and an SFU that holds nothing once every client has gone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSfuE2e, type SfuE2e } from '../support/sfu-e2e.js';

let e2e: SfuE2e;
let baselineTimeouts = 0;
const countTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

before(async () => {
  e2e = await startSfuE2e();
  baselineTimeouts = countTimeouts();
});

after(async () => {
  await e2e?.close();
});

interface TrackState {
  location: string;
  mid: string;
  trackName: string;
  status: string;
}

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${e2e.sfu.baseUrl}/v1/apps/${e2e.sfu.appId}${path}`, {
    method,
    headers: { authorization: `Bearer ${e2e.appSecret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const tracksOf = async (sessionId: string) =>
  (await api('GET', `/sessions/${sessionId}`)).body.tracks as TrackState[];

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out: ${what}`);
}

test('force: true closes a published track without SDP; its subscriber stops receiving', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const video = await publisher.publish('camera', { kind: 'video' });
  await viewer.pull('camera', video);
  await viewer.waitForVideo('camera');

  const local = (await tracksOf(video.sessionId!)).find((t) => t.trackName === video.trackName)!;
  const reply = await api('PUT', `/sessions/${video.sessionId}/tracks/close`, {
    tracks: [{ mid: local.mid }],
    force: true,
  });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { requiresImmediateRenegotiation: false, tracks: [{ mid: local.mid }] });
  assert.equal((await tracksOf(video.sessionId!)).find((t) => t.mid === local.mid)?.status, 'inactive');

  await new Promise((r) => setTimeout(r, 500));
  const frozen = (await viewer.stats('camera'))!.framesDecoded;
  await new Promise((r) => setTimeout(r, 1_500));
  assert.equal((await viewer.stats('camera'))!.framesDecoded, frozen, 'no frames after the forced close');
  const viewerTracks = await tracksOf(await viewer.sessionId());
  assert.equal(viewerTracks[0].status, 'inactive', 'the pull ends with its publication');

  for (const page of [viewer, publisher]) {
    await page.leave();
    await page.page.close();
  }
});

test('a page closed without leaving is garbage-collected, and its viewers’ pulls end', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const video = await publisher.publish('camera', { kind: 'video' });
  await viewer.pull('camera', video);
  await viewer.waitForVideo('camera');

  const closedAt = Date.now();
  await publisher.page.close();
  await eventually(
    'the abandoned session is collected',
    async () => ((await api('GET', `/sessions/${video.sessionId}`)).status === 410 ? true : undefined),
    40_000,
  );
  const seconds = (Date.now() - closedAt) / 1000;
  assert.ok(seconds < 30, `collected after ${seconds.toFixed(1)} s`);
  const viewerTracks = await tracksOf(await viewer.sessionId());
  assert.equal(viewerTracks[0].status, 'inactive');
  await viewer.leave();
  await viewer.page.close();
});

test('after every client leaves, the SFU holds no sessions, transceivers, forwarders or timers', async () => {
  const pages = await Promise.all([e2e.openPage(), e2e.openPage()]);
  const [a, b] = pages;
  const videoA = await a.publish('camera', { kind: 'video' });
  const audioB = await b.publish('mic', { kind: 'audio' });
  await b.pull('camera', videoA);
  await a.pull('mic', audioB);
  await b.waitForVideo('camera');
  await a.waitForAudio('mic');
  assert.ok(e2e.sfu.stats().transceivers > 0);

  // Leaving closes the browser's PeerConnection, which ends DTLS: the collector acts within seconds.
  await a.leave();
  await b.leave();
  const stats = await eventually(
    'every session collected',
    async () => {
      const s = e2e.sfu.stats();
      return s.sessions === 0 ? s : undefined;
    },
    20_000,
  );
  assert.deepEqual(
    {
      sessions: stats.sessions,
      publications: stats.publications,
      transceivers: stats.transceivers,
      forwarders: stats.forwarders,
      timers: stats.timers,
    },
    { sessions: 0, publications: 0, transceivers: 0, forwarders: 0, timers: 0 },
  );
  await a.page.close();
  await b.page.close();
  // werift's own timers (RTCP loops, NACK and TWCC timers) must be gone too, not just the SFU's.
  const timeouts = await eventually(
    'process timers back to the baseline',
    async () => (countTimeouts() <= baselineTimeouts ? countTimeouts() : undefined),
    5_000,
  ).catch(() => countTimeouts());
  assert.ok(
    timeouts <= baselineTimeouts,
    `${timeouts} active timeouts, ${baselineTimeouts} before any session`,
  );
});
