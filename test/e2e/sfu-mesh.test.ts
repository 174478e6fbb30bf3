// Three participants N:N through the local SFU, plus a viewer whose session starts with a pull (the SFU
// makes the first offer, so werift's ICE-lite must work as the offerer too).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSfuE2e, type HarnessPage, type SfuE2e, type TrackMetadata } from '../support/sfu-e2e.js';

let e2e: SfuE2e;

before(async () => {
  e2e = await startSfuE2e();
});

after(async () => {
  await e2e?.close();
});

test('three participants each decode the other two, and a receive-only viewer decodes one', async () => {
  const people = await Promise.all([e2e.openPage(), e2e.openPage(), e2e.openPage()]);
  const published: { video: TrackMetadata; audio: TrackMetadata }[] = [];
  for (const person of people) {
    published.push({
      video: await person.publish('camera', { kind: 'video' }),
      audio: await person.publish('mic', { kind: 'audio' }),
    });
  }

  const checks: Promise<unknown>[] = [];
  people.forEach((person: HarnessPage, i) => {
    published.forEach((tracks, j) => {
      if (i === j) return;
      checks.push(
        (async () => {
          await person.pull(`camera-${j}`, tracks.video);
          await person.pull(`mic-${j}`, tracks.audio);
          const video = await person.waitForVideo(`camera-${j}`, 5, 30_000);
          assert.equal(video.videoWidth, 320, `person ${i} sees person ${j}`);
          await person.waitForAudio(`mic-${j}`, 30_000);
        })(),
      );
    });
  });
  await Promise.all(checks);

  const viewer = await e2e.openPage();
  await viewer.pull('camera-0', published[0].video);
  await viewer.pull('mic-0', published[0].audio);
  await viewer.waitForVideo('camera-0', 5, 30_000);
  await viewer.waitForAudio('mic-0', 30_000);
  const viewerSession = await viewer.sessionId();
  const state = (await (
    await fetch(`${e2e.sfu.baseUrl}/v1/apps/${e2e.sfu.appId}/sessions/${viewerSession}`, {
      headers: { authorization: `Bearer ${e2e.appSecret}` },
    })
  ).json()) as { tracks: { location: string }[] };
  assert.deepEqual(
    state.tracks.map((t) => t.location),
    ['remote', 'remote'],
    'the viewer only ever pulled',
  );

  for (const page of [...people, viewer]) await page.page.close();
});
