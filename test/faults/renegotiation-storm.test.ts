// Fault: one page flips its media 50 times in 10 s. Camera toggles keep the camera's slot published (a black
// track while off), so they cost no renegotiation at all; screen-share toggles publish and close a track, so
// offers, closes and everyone else's pulls of it overlap with renegotiations in flight (the widget coalesces
// toggles this fast: the diagnostics print how many proxy calls the storm made). Afterwards the
// call is as before: everyone sees everyone's camera, no screen tile is left, and no m-line, forwarder or
// session is left over on the SFU.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import {
  assertRecovered,
  healthySfuCounts,
  startCall,
  pressControl,
  tally,
  type Participant,
} from '../support/fault-call.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';

const TOGGLES = 50;
const STORM_MS = 10_000;

describe('fault: a renegotiation storm, 50 toggles in 10 s', () => {
  let stack: FaultStack;
  let browser: Browser;
  let call: Participant[];
  /** `METHOD /partytracks/…` of every proxy request any page made since the call started. */
  const proxyCalls: string[] = [];

  before(async () => {
    stack = await startFaultStack();
    browser = await launchChromium();
    call = await startCall(browser, stack.url);
    for (const { page } of call) {
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (path.includes('/partytracks/')) {
          proxyCalls.push(`${request.method()} ${path.replace(/[0-9a-f]{32}/g, ':id')}`);
        }
      });
    }
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the call of three is healthy before the fault', async () => {
    await assertRecovered(call, stack.sfu);
  });

  it('recovers with the camera on after 50 camera toggles', async (t) => {
    const before = proxyCalls.length;
    const started = Date.now();
    const pressed = await pressControl(call[0], 'camera', TOGGLES, STORM_MS / TOGGLES);
    t.diagnostic(
      `${TOGGLES} presses in ${Date.now() - started} ms; proxy calls: ${tally(proxyCalls.slice(before))}`,
    );
    assert.equal(pressed.length, TOGGLES);
    assert.ok(
      !pressed.includes(null),
      `the camera button stayed through the storm: ${JSON.stringify(pressed)}`,
    );
    assert.equal(pressed.at(-1), true, 'an even number of presses leaves the camera on');
    const recovery = await assertRecovered(call, stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });

  it('recovers with no screen tile left after 50 screen-share toggles', async (t) => {
    const before = proxyCalls.length;
    const started = Date.now();
    const pressed = await pressControl(call[1], 'screen', TOGGLES, STORM_MS / TOGGLES);
    const storm = proxyCalls.slice(before);
    t.diagnostic(`${TOGGLES} presses in ${Date.now() - started} ms; proxy calls: ${tally(storm)}`);
    assert.ok(
      !pressed.includes(null),
      `the share button stayed through the storm: ${JSON.stringify(pressed)}`,
    );
    assert.equal(pressed.at(-1), false, 'an even number of presses leaves sharing off');
    // M-lines are recycled, never removed: a session may keep its screen push or pull m-line after the share.
    // A leak would grow with the 25 shares; one spare per session does not.
    const { maxTransceivers } = healthySfuCounts(call.length);
    const recovery = await assertRecovered(call, stack.sfu, {
      maxTransceivers: maxTransceivers + call.length,
    });
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });
});
