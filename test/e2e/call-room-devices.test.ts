// Permissions and devices on the real stack: a page whose camera and mic are blocked still joins and sees
// others (receive-only) and says why it can't publish; a camera that disappears mid-call is recovered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { startDemoStack } from '../support/demo-stack.js';
import { launchChromium } from '../support/browser.js';
import { chromiumArgsWithoutMediaGrant } from '../support/chromium-flags.mjs';
import { waitForRoom, joinFromPrejoin } from '../support/call-room-probe.js';

async function open(browser: Browser, url: string, blockAutoplay = false): Promise<Page> {
  const page = await browser.newPage();
  if (blockAutoplay) {
    // Chromium's own policy depends on activation state the test harness already grants (Playwright pages
    // report navigator.userActivation.hasBeenActive), so enforce the rule directly: unmuted play() is refused
    // until the user really clicks in the page.
    await page.addInitScript(() => {
      let clicked = false;
      addEventListener('click', (e) => (clicked ||= e.isTrusted), { capture: true });
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        if (this.muted || clicked) return play.call(this);
        return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
      };
    });
  }
  await page.addInitScript(() => {
    const w = window as unknown as { callErrors: string[] };
    w.callErrors = [];
    (window as unknown as { rejections: string[] }).rejections = [];
    window.addEventListener('unhandledrejection', (e) =>
      (window as unknown as { rejections: string[] }).rejections.push(String(e.reason)),
    );
    document.addEventListener('call-error', (e) => w.callErrors.push((e as CustomEvent).detail.code));
  });
  await page.goto(url);
  // A click on Join is the gesture that unlocks audio; to see the prompt, this page joins from script.
  if (blockAutoplay) await page.evaluate(() => document.querySelector('call-room')!.join());
  else await joinFromPrejoin(page);
  return page;
}

describe('<call-room> permissions and devices', () => {
  let stack: DevStack;
  let granted: Browser;
  let blocked: Browser;
  let publisher: Page;
  let viewer: Page;

  before(async () => {
    stack = await startDemoStack();
    granted = await launchChromium();
    // No capture permission means no autoplay exemption: the viewer's audio needs a click.
    blocked = await launchChromium({
      args: [...chromiumArgsWithoutMediaGrant, '--autoplay-policy=document-user-activation-required'],
    });
    publisher = await open(granted, `${stack.url}/`);
    viewer = await open(blocked, `${stack.url}/`, true);
  });

  after(async () => {
    await granted?.close();
    await blocked?.close();
    await stack?.close();
  });

  it('with camera and mic blocked, joins receive-only, decodes others, and explains why', async () => {
    await waitForRoom(
      viewer,
      (s) =>
        s.state === 'joined' && s.remote.length === 1 && s.remote[0].videoWidth > 0 && s.remote[0].frames > 0,
      'the blocked page decodes the publisher',
      30_000,
    );
    // The camera and mic open once the others' media flows, so the refusal may come just after the first frame.
    const refused = await viewer
      .waitForFunction(
        () => (window as unknown as { callErrors: string[] }).callErrors.includes('permission-denied'),
        undefined,
        { timeout: 5_000 },
      )
      .then(
        () => true,
        () => false,
      );
    const errors = await viewer.evaluate(() => (window as unknown as { callErrors: string[] }).callErrors);
    assert.ok(refused, `call-error permission-denied, got ${errors}`);
    const mic = viewer
      .locator('call-room')
      .locator('call-controls')
      .getByRole('button', { name: 'Microphone' });
    assert.equal(
      await mic.getAttribute('aria-disabled'),
      'true',
      'the mic toggle is unavailable, not hidden',
    );
    const reason = await mic.getAttribute('aria-describedby');
    assert.ok(reason, 'the toggle points at the reason');
  });

  it('asks for a click when the browser blocks audio, with no unhandled rejection, and plays after it', async () => {
    const blocked = () =>
      viewer.evaluate(() => document.querySelector('call-room')!.matches(':state(audio-blocked)'));
    await viewer.waitForFunction(() => document.querySelector('call-room')!.matches(':state(audio-blocked)'));
    const prompt = viewer.locator('call-room').getByRole('button', { name: 'Click to enable audio' });
    await prompt.waitFor({ timeout: 5_000 });
    assert.equal(await blocked(), true);
    await prompt.click();
    await prompt.waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await blocked(), false, 'audio plays after the click');
    const rejections = await viewer.evaluate(
      () => (window as unknown as { rejections: string[] }).rejections,
    );
    assert.deepEqual(rejections, [], 'no unhandled promise rejections');
  });

  it('recovers the camera when the device disappears mid-call', async () => {
    await waitForRoom(publisher, (s) => s.remote.length === 1, 'the publisher sees the viewer');
    const framesBefore = (await waitForRoom(viewer, (s) => s.remote[0]?.frames > 0, 'frames before'))
      .remote[0].frames;
    const oldTrackId = await publisher.evaluate(() => {
      const room = document.querySelector('call-room')!;
      const self = [...room.shadowRoot!.querySelectorAll('video-tile')].find(
        (t) => (t as unknown as { participant: { isLocal: boolean } }).participant.isLocal,
      ) as unknown as { participant: { video: { camera: MediaStreamTrack } } };
      const track = self.participant.video.camera;
      // What an unplugged camera looks like to the page: the track ends, the device list changes.
      track.stop();
      track.dispatchEvent(new Event('ended'));
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
      return track.id;
    });
    await waitForRoom(
      publisher,
      (s) => s.local[0]?.videoWidth > 0 && !s.local[0].trackMuted,
      'the self view plays again',
      10_000,
    );
    const newTrackId = await publisher.evaluate(() => {
      const room = document.querySelector('call-room') as unknown as {
        participants: { isLocal: boolean; video: { camera?: MediaStreamTrack } }[];
      };
      return room.participants.find((p) => p.isLocal)?.video.camera?.id;
    });
    assert.notEqual(newTrackId, oldTrackId, 'a fresh camera track replaced the ended one');
    await waitForRoom(
      viewer,
      (s) => s.remote[0]?.frames > framesBefore + 15,
      'the viewer keeps receiving frames',
      10_000,
    );
  });
});
