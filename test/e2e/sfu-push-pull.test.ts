// Two Chromium pages through the local SFU with the real partytracks client and proxy: page A pushes its
// fake camera and microphone, page B pulls both and must decode them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSfuE2e, type SfuE2e } from '../support/sfu-e2e.js';

let e2e: SfuE2e;

before(async () => {
  e2e = await startSfuE2e();
});

after(async () => {
  await e2e?.close();
});

test('page B decodes the video and audio page A pushes', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();

  const video = await publisher.publish('camera', { kind: 'video' });
  const audio = await publisher.publish('mic', { kind: 'audio' });
  assert.ok(video.trackName && video.sessionId, 'push returns metadata for pullers');

  await viewer.pull('camera', video);
  await viewer.pull('mic', audio);

  const videoStats = await viewer.waitForVideo('camera');
  assert.equal(videoStats.videoWidth, 320);
  assert.equal(videoStats.codec, 'video/VP8');
  assert.equal(videoStats.muted, false);
  const audioStats = await viewer.waitForAudio('mic');
  assert.ok(audioStats.totalSamplesReceived > 0);
  assert.equal(await viewer.connectionState(), 'connected');

  await viewer.page.close();
  await publisher.page.close();
});

test('H264 is forwarded too when the publisher offers only H264', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const video = await publisher.publish('camera', { kind: 'video', codec: 'video/H264' });
  await viewer.pull('camera', video);
  const stats = await viewer.waitForVideo('camera');
  assert.equal(stats.codec, 'video/H264');
  assert.equal(stats.videoWidth, 320);
  await viewer.page.close();
  await publisher.page.close();
});
