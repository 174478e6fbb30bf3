// Chrome's negotiation edge cases (shared/docs/calls-api.md §4.8, §7): closing the BUNDLE-tag m-line
// (mid 0) while other tracks stay open makes Chrome move to a new transport; Chrome reusing a rejected
// m-line slot with a new mid. Media must keep flowing through all of it.
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

/** A publisher with two video tracks (the first on mid 0) and a viewer decoding both. */
async function twoFlowingVideos() {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const first = await publisher.publish('first', { kind: 'video' });
  const second = await publisher.publish('second', { kind: 'video' });
  await viewer.pull('first', first);
  await viewer.pull('second', second);
  await viewer.waitForVideo('first');
  await viewer.waitForVideo('second');
  return { publisher, viewer };
}

test('the publisher closes its mid-0 track; its other video keeps flowing', async () => {
  const { publisher, viewer } = await twoFlowingVideos();

  await publisher.unpublish('first');
  await viewer.waitForMoreFrames('second', 15, 15_000);
  assert.equal(await publisher.connectionState(), 'connected');
  await viewer.page.close();
  await publisher.page.close();
});

test('the subscriber closes its mid-0 pull; its other pull keeps flowing', async () => {
  const { publisher, viewer } = await twoFlowingVideos();

  await viewer.unpull('first');
  await viewer.waitForMoreFrames('second', 15, 15_000);
  assert.equal(await viewer.connectionState(), 'connected');
  await viewer.page.close();
  await publisher.page.close();
});

test('the subscriber closes its mid-0 pull and pulls another track in the same tick: the new one keeps flowing', async () => {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const first = await publisher.publish('first', { kind: 'video' });
  await viewer.pull('first', first); // the viewer pulls before it publishes: this pull is its mid 0
  await viewer.waitForVideo('first');
  // A live m-line besides mid 0: closing mid 0 then moves Chrome's BUNDLE tag (and transport) to it.
  await viewer.publish('own', { kind: 'video' });
  const second = await publisher.publish('second', { kind: 'video' });

  // What partytracks does when a publisher re-pushes under a new session: close the old pull, pull the new
  // one. Chrome switches transports for the close while the SFU is already making the offer for the pull.
  await viewer.page.evaluate((metadata) => {
    window.harness.unpull('first');
    return window.harness.pull('second', metadata);
  }, second);
  await viewer.waitForVideo('second', 5, 15_000);
  let last = await viewer.waitForMoreFrames('second', 1, 5_000);
  for (let tick = 1; tick <= 5; tick++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await viewer.stats('second');
    assert.ok(now, 'the pull is still there');
    assert.ok(
      now.framesDecoded > last.framesDecoded,
      `frames advance in second ${tick}: ${JSON.stringify(now)}`,
    );
    assert.ok(now.videoWidth > 0 && !now.muted, `a decoded, unmuted picture: ${JSON.stringify(now)}`);
    last = now;
  }
  assert.equal(await viewer.connectionState(), 'connected');
  await viewer.page.close();
  await publisher.page.close();
});

test('push A, pull B, close A, push C, pull D: Chrome reuses the rejected slot and everything decodes', async () => {
  const x = await e2e.openPage();
  const y = await e2e.openPage();
  const a = await x.publish('A', { kind: 'video' });
  const b = await y.publish('B', { kind: 'video' });
  await y.pull('A', a);
  await y.waitForVideo('A');
  await x.pull('B', b);
  await x.waitForVideo('B');

  await x.unpublish('A');
  await x.waitForMoreFrames('B', 10, 15_000);
  const c = await x.publish('C', { kind: 'video' });
  await y.pull('C', c);
  await y.waitForVideo('C');
  const d = await y.publish('D', { kind: 'video' });
  await x.pull('D', d);
  await x.waitForVideo('D');
  await x.waitForMoreFrames('B', 10, 15_000);
  await y.waitForMoreFrames('C', 10, 15_000);
  await y.page.close();
  await x.page.close();
});
