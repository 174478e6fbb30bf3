// Chrome and partytracks accept the SFU recycling a closed pull's m-line (reliability finding 14): a viewer
// that keeps one pull open (its BUNDLE tag) pulls and closes another track again and again; its m-lines
// stay bounded and every pull decodes.
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

interface TrackState {
  location: string;
  status: string;
  trackName: string;
}

async function activePulls(sessionId: string): Promise<TrackState[]> {
  const response = await fetch(`${e2e.sfu.baseUrl}/v1/apps/${e2e.sfu.appId}/sessions/${sessionId}`, {
    headers: { authorization: `Bearer ${e2e.appSecret}` },
  });
  const { tracks } = (await response.json()) as { tracks: TrackState[] };
  return tracks.filter((t) => t.location === 'remote' && t.status === 'active');
}

test('a viewer pulls and closes a track 15 times: the m-lines stay bounded and each pull decodes', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const steady = await publisher.publish('steady', { kind: 'video' });
  const churn = await publisher.publish('churn', { kind: 'video' });
  await viewer.pull('steady', steady); // the viewer's mid 0: its BUNDLE tag, open throughout
  await viewer.waitForVideo('steady');
  const viewerSession = await viewer.sessionId();
  const baseline = e2e.sfu.stats().transceivers;

  const counts: number[] = [];
  for (let cycle = 0; cycle < 15; cycle++) {
    await viewer.pull('churn', churn);
    await viewer.waitForStats('churn', (s) => s.framesDecoded > 0 && s.videoWidth > 0, 15_000);
    await viewer.unpull('churn');
    const deadline = Date.now() + 10_000;
    while ((await activePulls(viewerSession)).length > 1) {
      assert.ok(Date.now() < deadline, `cycle ${cycle}: the close reached the SFU`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    counts.push(e2e.sfu.stats().transceivers);
  }
  assert.ok(
    Math.max(...counts) <= baseline + 2,
    `transceivers stay bounded: ${baseline} before, then ${counts.join(', ')}`,
  );
  await viewer.waitForMoreFrames('steady', 10, 15_000);
  assert.equal(await viewer.connectionState(), 'connected');
  await viewer.page.close();
  await publisher.page.close();
});
