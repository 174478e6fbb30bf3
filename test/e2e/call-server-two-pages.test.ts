// Two Chromium pages, the real stack: demo token endpoint → presence WebSocket → partytracks proxy →
// local SFU. Each page must decode the other's camera.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack, type DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { bundleTestPage } from '../support/bundle-page.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface RemoteVideo {
  participant: string;
  width: number;
  frames: number;
  muted: boolean;
  readyState: string;
}

describe('call server end to end (Chromium, local SFU)', () => {
  let pageRoot: string;
  let stack: DevStack;
  let browser: Browser;

  before(async () => {
    pageRoot = await mkdtemp(join(tmpdir(), 'call-server-e2e-'));
    await writeFile(join(pageRoot, 'page.js'), await bundleTestPage('test/support/call-server-page.ts'));
    await writeFile(
      join(pageRoot, 'index.html'),
      `<!doctype html><meta charset="utf-8"><title>call-server e2e</title>
      <script>window.process = { env: { NODE_ENV: 'development' } };</script>
      <script type="module" src="/page.js"></script>`,
    );
    stack = await startDevStack(readDevStackConfig({ PORT: '0' }), {
      staticRoots: { demo: pageRoot, dist: join(repoRoot, 'dist') },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    await rm(pageRoot, { recursive: true, force: true });
  });

  async function openPage(): Promise<Page> {
    // One context per participant: separate cookie jars, like two people on two machines.
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[page error]', error.message));
    await page.goto(`${stack.url}/`);
    await page.waitForFunction(() => typeof window.joinCall === 'function');
    return page;
  }

  const remoteVideo = (page: Page, participant: string) =>
    page.evaluate((id): RemoteVideo | undefined => {
      const video = document.querySelector<HTMLVideoElement>(`video[data-participant="${CSS.escape(id)}"]`);
      const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
      if (!video || !track) return undefined;
      return {
        participant: id,
        width: video.videoWidth,
        frames: video.getVideoPlaybackQuality().totalVideoFrames,
        muted: track.muted,
        readyState: track.readyState,
      };
    }, participant);

  it('two pages join one room and each decodes the other’s video', async () => {
    const started = Date.now();
    const [alice, bob] = await Promise.all([openPage(), openPage()]);
    const [aliceId, bobId] = await Promise.all([
      alice.evaluate(() => window.joinCall('e2e-room', 'Alice')),
      bob.evaluate(() => window.joinCall('e2e-room', 'Bob')),
    ]);
    assert.notEqual(aliceId, bobId);

    const decoded = async (page: Page, otherId: string) => {
      await page.waitForFunction(
        (id) => {
          const video = document.querySelector<HTMLVideoElement>(
            `video[data-participant="${CSS.escape(id)}"]`,
          );
          const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
          return (
            !!video &&
            !!track &&
            !track.muted &&
            video.videoWidth > 0 &&
            video.getVideoPlaybackQuality().totalVideoFrames >= 5
          );
        },
        otherId,
        { timeout: 45_000, polling: 100 },
      );
      return remoteVideo(page, otherId);
    };
    const [atAlice, atBob] = await Promise.all([decoded(alice, bobId), decoded(bob, aliceId)]);
    const elapsed = Date.now() - started;
    console.log(`[e2e] both pages decoding the other's video after ${elapsed} ms`, atAlice, atBob);

    for (const video of [atAlice, atBob]) {
      assert.ok(video);
      assert.equal(video.width, 320);
      assert.ok(video.frames >= 5);
      assert.equal(video.muted, false);
      assert.equal(video.readyState, 'live');
    }
    for (const [page, selfId, otherId] of [
      [alice, aliceId, bobId],
      [bob, bobId, aliceId],
    ] as const) {
      const state = await page.evaluate(() => window.callPage);
      assert.deepEqual([...state.roster].sort(), [selfId, otherId].sort());
      assert.deepEqual(state.errors, []);
      assert.ok(state.received.includes('track-published'));
    }
    // Both sessions were created through the proxy and bound to their creators.
    assert.ok(stack.callServer.sessions.size >= 2);
    assert.equal(stack.callServer.directory.room('e2e-room').publications().length, 2);
  });
});
