// Simulcast through the local SFU: a publisher sends two RIDs, a subscriber receives one stream at its
// preferredRid ("" = automatic) and `tracks/update` switches the decoded resolution on a keyframe.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromiumArgsWithBuiltInCamera } from '../support/chromium-flags.mjs';
import { startSfuE2e, type HarnessPage, type SfuE2e } from '../support/sfu-e2e.js';

let e2e: SfuE2e;

before(async () => {
  e2e = await startSfuE2e({}, chromiumArgsWithBuiltInCamera);
});

after(async () => {
  await e2e?.close();
});

const layers = [{ rid: 'a' }, { rid: 'b', scaleResolutionDownBy: 2 }];

/**
 * Waits until the viewer decodes exactly the resolution the publisher currently encodes for `rid`. Chrome
 * may scale layers down when the machine is busy, so the expected width is read from the publisher.
 */
async function waitForLayer(publisher: HarnessPage, viewer: HarnessPage, name: string, rid: string) {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    const layersNow = await publisher.outbound();
    const encoded = layersNow.find((l) => l.rid === rid)?.frameWidth as number | undefined;
    const stats = await viewer.stats(name);
    last = `encoded ${JSON.stringify(layersNow.map((l) => [l.rid, l.frameWidth]))}, decoded ${stats?.videoWidth}`;
    if (encoded && stats && !stats.muted && stats.videoWidth === encoded) {
      const more = await viewer.waitForMoreFrames(name, 5, 10_000);
      if (more.videoWidth === encoded) return encoded;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`layer ${rid} never decoded: ${last}`);
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
  const small = await waitForLayer(publisher, viewer, 'camera', 'b');
  await viewer.setPreferredRid('camera', 'a');
  const large = await waitForLayer(publisher, viewer, 'camera', 'a');
  assert.ok(large > small, `layer a (${large}) is larger than layer b (${small})`);
  await viewer.setPreferredRid('camera', 'b');
  await waitForLayer(publisher, viewer, 'camera', 'b');
  await viewer.setPreferredRid('camera', '');
  await waitForLayer(publisher, viewer, 'camera', 'a');

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

  // Both on the low layer, which flows at full rate from the start: with RID routing per session (werift's
  // default) every `b` packet of both tracks would land on one receiver and the other pull would get none.
  await viewer.pull('first', first, 'b');
  await viewer.pull('second', second, 'b');
  await waitForLayer(publisher, viewer, 'first', 'b');
  await waitForLayer(publisher, viewer, 'second', 'b');

  await viewer.page.close();
  await publisher.page.close();
});
