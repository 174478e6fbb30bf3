// Fault: the SFU process stops for 10 s (SIGSTOP, then SIGCONT), as a stalled host or a long GC pause would:
// its sockets stay open and nothing answers, neither HTTP nor UDP. Afterwards the call must carry on, with
// the sessions it had or new ones, and no leftovers on the SFU.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { assertRecovered, presentedFrames, startCall, type Participant } from '../support/fault-call.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';

const FROZEN_MS = 10_000;

describe('fault: the SFU is frozen for 10 s mid-call', () => {
  let stack: FaultStack;
  let browser: Browser;
  let call: Participant[];

  before(async () => {
    stack = await startFaultStack();
    browser = await launchChromium();
    call = await startCall(browser, stack.url);
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the call of three is healthy before the fault', async () => {
    await assertRecovered(call, stack.sfu);
  });

  it('recovers after SIGSTOP for 10 s and SIGCONT', async (t) => {
    stack.sfu.freeze();
    const frozenAt = Date.now();
    try {
      // The fault bites: with the SFU stopped, no remote frame arrives.
      await new Promise((r) => setTimeout(r, 1_000));
      const during = await presentedFrames(call[0], 5, 3_000);
      assert.ok(
        during.every((s) => s.frames < 5),
        `frames stall while the SFU is frozen: ${JSON.stringify(during)}`,
      );
      await new Promise((r) => setTimeout(r, FROZEN_MS - (Date.now() - frozenAt)));
    } finally {
      stack.sfu.thaw();
    }
    const recovery = await assertRecovered(call, stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });
});
