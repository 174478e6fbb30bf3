// Screen sharing on the real stack: one page shares (Chromium's fake capture), the other page puts the screen on
// the stage with decoded frames and hears about it; stopping removes it again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { startDemoStack } from '../support/demo-stack.js';
import { waitForRoom, joinFromPrejoin } from '../support/call-room-probe.js';

describe('<call-room> screen sharing', () => {
  let stack: DevStack;
  let browser: Browser;
  let sharer: Page;
  let viewer: Page;
  const shareButton = () =>
    sharer.locator('call-room').locator('call-controls').getByRole('button', { name: 'Share screen' });

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    sharer = await browser.newPage();
    viewer = await browser.newPage();
    await viewer.addInitScript(() => {
      const w = window as unknown as { media: string[] };
      w.media = [];
      document.addEventListener('call-media-change', (e) => {
        const { kind, enabled } = (e as CustomEvent).detail;
        w.media.push(`${kind}:${enabled}`);
      });
    });
    await sharer.goto(`${stack.url}/`);
    await viewer.goto(`${stack.url}/`);
    await joinFromPrejoin(sharer);
    await joinFromPrejoin(viewer);
    await waitForRoom(
      viewer,
      (s) => s.remote.some((t) => t.frames > 0),
      'the viewer sees the sharer',
      30_000,
    );
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('puts a shared screen on the viewer’s stage with decoded frames', async () => {
    await shareButton().click();
    assert.equal(await shareButton().getAttribute('aria-pressed'), 'true', 'the toggle is pressed');
    await waitForRoom(
      viewer,
      (s) => s.remote.some((t) => t.source === 'screen' && t.videoWidth > 0 && t.frames > 0 && !t.trackMuted),
      'a playing screen tile',
    );
    const layout = await viewer.evaluate(
      () =>
        document.querySelector('call-room')!.shadowRoot!.querySelector<HTMLElement>('[part~="stage"]')!
          .dataset.layout,
    );
    assert.equal(layout, 'spotlight', 'the screen takes the stage');
    const media = await viewer.evaluate(() => (window as unknown as { media: string[] }).media);
    assert.ok(media.includes('screen:true'), `call-media-change screen:true, got ${media}`);
  });

  it('removes the screen when sharing stops', async () => {
    await shareButton().click();
    await waitForRoom(
      viewer,
      (s) => !s.remote.some((t) => t.source === 'screen'),
      'the screen tile is gone',
      5_000,
    );
    const media = await viewer.evaluate(() => (window as unknown as { media: string[] }).media);
    assert.ok(media.includes('screen:false'), `call-media-change screen:false, got ${media}`);
  });
});
