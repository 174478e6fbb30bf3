// Fault: the call server restarts mid-call (same port, same CALL_TOKEN_SECRET) while the SFU keeps running.
// Its memory is gone: presence rooms, and which SFU session belongs to whom. Every page must rejoin
// presence and either keep its SFU session or start a new one, with media both ways again; and a join after
// the restart (one page leaves and joins again) must not break the pages already there.
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { assertRecovered, startCall, type Participant } from '../support/fault-call.js';
import { waitForRoom } from '../support/call-room-probe.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';

describe('fault: the call server restarts mid-call', () => {
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

  it('the call is healthy before the fault', async () => {
    await assertRecovered(call, stack.sfu);
  });

  it('recovers after a stop and a start on the same port with the same token secret', async (t) => {
    await stack.stopCallServer();
    await new Promise((r) => setTimeout(r, 1_000));
    await stack.startCallServer();
    const recovery = await assertRecovered(call, stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });

  it('a page leaving and joining again after the restart leaves all three in a working call', async (t) => {
    const { page } = call[2];
    await page.evaluate(() =>
      (document.querySelector('call-room') as unknown as { leave(): Promise<void> }).leave(),
    );
    await waitForRoom(page, (s) => s.state === 'left', 'left', 10_000);
    await page.evaluate(() =>
      (document.querySelector('call-room') as unknown as { join(): Promise<void> }).join(),
    );
    const recovery = await assertRecovered(call, stack.sfu);
    t.diagnostic(`three pages playing after ${recovery.pagesMs} ms`);
  });
});
