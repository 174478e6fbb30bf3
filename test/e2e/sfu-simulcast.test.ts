// Simulcast through the local SFU: a publisher sends two RIDs, a subscriber receives one stream at its
// preferredRid ("" = automatic) and `tracks/update` switches the decoded resolution on a keyframe.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSfuE2e, type HarnessPage, type SfuE2e } from '../support/sfu-e2e.js';

let e2e: SfuE2e;

before(async () => {
  e2e = await startSfuE2e();
});

after(async () => {
  await e2e?.close();
});

const layers = [{ rid: 'a' }, { rid: 'b', scaleResolutionDownBy: 2 }];

async function waitForWidth(page: HarnessPage, name: string, width: number) {
  const stats = await page.waitForStats(name, (s) => s.videoWidth === width && !s.muted, 20_000);
  const more = await page.waitForMoreFrames(name, 5, 10_000);
  assert.equal(more.videoWidth, width);
  return stats;
}

test('tracks/update switches the decoded resolution between layers, and "" picks the best one', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const video = await publisher.publish('camera', {
    kind: 'video',
    width: 640,
    height: 480,
    encodings: layers,
  });

  await viewer.pull('camera', video, 'b');
  await waitForWidth(viewer, 'camera', 320);
  await viewer.setPreferredRid('camera', 'a');
  await waitForWidth(viewer, 'camera', 640);
  await viewer.setPreferredRid('camera', 'b');
  await waitForWidth(viewer, 'camera', 320);
  await viewer.setPreferredRid('camera', '');
  await waitForWidth(viewer, 'camera', 640);

  await viewer.page.close();
  await publisher.page.close();
});

test('two simulcast tracks in one session do not collide', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const first = await publisher.publish('first', {
    kind: 'video',
    width: 640,
    height: 480,
    encodings: layers,
  });
  const second = await publisher.publish('second', {
    kind: 'video',
    width: 640,
    height: 480,
    encodings: layers,
  });

  await viewer.pull('first', first, 'a');
  await viewer.pull('second', second, 'b');
  await waitForWidth(viewer, 'first', 640);
  await waitForWidth(viewer, 'second', 320);

  await viewer.page.close();
  await publisher.page.close();
});
