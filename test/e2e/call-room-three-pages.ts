// The product as a site owner sees it: demo/index.html is one script tag and one <call-room>. Three Chromium
// pages join one room on a stack serving the demo (call server + local SFU) and must see and hear each other.
// Run on the `npm start` stack (call-room.test.ts) and on the Worker stack (call-room-workers.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { callRoomProbe, waitForRoom, joinFromPrejoin } from '../support/call-room-probe.js';

const EVENTS = [
  'call-joined',
  'call-participant-joined',
  'call-participant-left',
  'call-media-change',
  'call-left',
  'call-error',
];

/** A running stack that serves demo/ at `url`, with its token endpoint, call server and SFU. */
export interface DemoServer {
  readonly url: string;
  close(): Promise<void>;
}

export function threePageCall(title: string, startStack: () => Promise<DemoServer>): void {
  describe(title, () => {
    let stack: DemoServer;
    let browser: Browser;
    const pages: Page[] = [];

    const snapshot = (page: Page) => page.evaluate(callRoomProbe);

    before(async () => {
      stack = await startStack();
      browser = await launchChromium();
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage();
        await page.addInitScript((names) => {
          const w = window as unknown as { hostEvents: string[]; cameraOpens: number };
          w.hostEvents = [];
          for (const name of names) document.addEventListener(name, () => w.hostEvents.push(name));
          // Counts how often the page opens a camera: the pre-join preview must be the call's camera.
          w.cameraOpens = 0;
          const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
          navigator.mediaDevices.getUserMedia = (constraints) => {
            if (constraints?.video) w.cameraOpens++;
            return getUserMedia(constraints);
          };
        }, EVENTS);
        await page.goto(`${stack.url}/`);
        // The pre-join screen: the camera preview plays before anything is joined.
        await page.locator('call-prejoin').locator('video').first().waitFor({ timeout: 10_000 });
        await page.waitForFunction(
          () =>
            (
              document
                .querySelector('call-room')!
                .shadowRoot!.querySelector('call-prejoin')!
                .shadowRoot!.querySelector('video-tile')!
                .shadowRoot!.querySelector('video') as HTMLVideoElement
            ).videoWidth > 0,
          undefined,
          { timeout: 10_000 },
        );
        if (i > 0) {
          // Before joining, the pre-join screen says who is already in the room.
          const lobby = page.locator('call-prejoin').locator('[part~="lobby"]');
          await lobby.filter({ hasText: 'Person 1' }).waitFor({ timeout: 10_000 });
        }
        await joinFromPrejoin(page, `Person ${i + 1}`);
        pages.push(page);
      }
    });

    after(async () => {
      await browser?.close();
      await stack?.close();
    });

    it('each page shows two remote tiles with decoded, unmuted video', async () => {
      for (const page of pages) {
        const s = await waitForRoom(
          page,
          (s) =>
            s.state === 'joined' &&
            s.remote.length === 2 &&
            s.remote.every((t) => t.videoWidth > 0 && t.frames > 0 && !t.trackMuted),
          'two playing remote videos',
          30_000,
        );
        assert.equal(s.local.length, 1, 'one self view');
      }
    });

    it('joins with the name typed on the pre-join screen and publishes the previewed camera', async () => {
      for (const [i, page] of pages.entries()) {
        const s = await snapshot(page);
        assert.equal(s.local[0]?.name, `Person ${i + 1}`, 'the typed name');
        const opens = await page.evaluate(() => (window as unknown as { cameraOpens: number }).cameraOpens);
        assert.equal(opens, 1, 'the camera opened once, for the preview, and the call kept it');
      }
    });

    it('muting on one page shows the muted icon on the others within 2 s', async () => {
      const [a, b, c] = pages;
      const aName = (await snapshot(a)).local[0].name;
      await a
        .locator('call-room')
        .locator('call-controls')
        .getByRole('button', { name: 'Microphone' })
        .click();
      for (const page of [b, c]) {
        await waitForRoom(
          page,
          (s) => s.remote.some((t) => t.name === aName && t.muted),
          `${aName} shown muted`,
          2_000,
        );
      }
    });

    it('leaving removes the tile elsewhere within 2 s', async () => {
      const [a, b, c] = pages;
      const cName = (await snapshot(c)).local[0].name;
      await c
        .locator('call-room')
        .locator('call-controls')
        .getByRole('button', { name: 'Leave call' })
        .click();
      await waitForRoom(c, (s) => s.state === 'left', 'the leaver sees the left state', 5_000);
      for (const page of [a, b]) {
        await waitForRoom(
          page,
          (s) => s.remote.length === 1 && !s.remote.some((t) => t.name === cName),
          `${cName} gone`,
          2_000,
        );
      }
    });

    it('the host page observed the call through DOM events', async () => {
      const events = (page: Page) =>
        page.evaluate(() => (window as unknown as { hostEvents: string[] }).hostEvents);
      const [a, b, c] = pages;
      const first = await events(a);
      assert.ok(first.includes('call-joined'), `call-joined on the first page: ${first}`);
      assert.ok(
        first.filter((e) => e === 'call-participant-joined').length >= 1,
        'others joined after the first page',
      );
      assert.ok(first.includes('call-media-change'), 'its own mute');
      assert.ok((await events(b)).includes('call-media-change'), 'a remote mute');
      assert.ok((await events(a)).includes('call-participant-left'), 'the third page left');
      assert.ok((await events(c)).includes('call-left'), 'the leaver got call-left');
      for (const page of pages) assert.ok(!(await events(page)).includes('call-error'), 'no errors');
    });
  });
}
