// Fault: the SFU process dies (SIGKILL) mid-call and comes back on the same port with none of its sessions.
// Every page must notice, start a new session, re-publish and re-pull, and show everyone playing again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { assertRecovered, startCall, type Participant } from '../support/fault-call.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';

describe('fault: the SFU is killed and restarted mid-call', () => {
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

  it('the call of three is healthy before the fault', async (t) => {
    const recovery = await assertRecovered(call, stack.sfu);
    t.diagnostic(`healthy after ${recovery.pagesMs} ms; SFU ${JSON.stringify(recovery.sfu)}`);
  });

  it('recovers after SIGKILL and a restart on the same port', async (t) => {
    await stack.sfu.kill();
    assert.equal(stack.sfu.running, false);
    await stack.sfu.start();
    const recovery = await assertRecovered(call, stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });
});
