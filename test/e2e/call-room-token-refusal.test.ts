// The stop rule: partytracks alone retries a refused call forever. When the call server refuses the room token
// (here the site's backend signs it with the wrong key), the room fetches one fresh token, then stops, shows the
// error and fires call-error; nothing keeps hammering the server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createCallToken } from '../../server/core/call-token.js';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { joinFromPrejoin } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';

describe('<call-room> when the call server refuses the token', () => {
  let stack: DevStack;
  let browser: Browser;

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('refreshes the token once, then stops with a visible error and call-error token-failed', async () => {
    const page = await browser.newPage();
    const wrongKey = randomBytes(32).toString('hex');
    let tokenRequests = 0;
    await page.route('**/api/call-token', async (route) => {
      tokenRequests++;
      const token = await createCallToken({
        secret: wrongKey,
        room: 'standup',
        userId: `mallory-${tokenRequests}`,
        name: 'Mallory',
        canPublish: true,
        canSubscribe: true,
        canModerate: false,
        ttlSeconds: 600,
      });
      await route.fulfill({ json: { token } });
    });
    const serverCalls: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/partytracks/') || path.startsWith('/rooms/')) serverCalls.push(path);
    });
    await page.addInitScript(() => {
      const w = window as unknown as { codes: string[] };
      w.codes = [];
      document.addEventListener('call-error', (e) => w.codes.push((e as CustomEvent).detail.code));
    });
    await page.goto(`${stack.url}/`);
    await joinFromPrejoin(page);

    await page.waitForFunction(
      () => (document.querySelector('call-room') as { state?: string } | null)?.state === 'error',
      undefined,
      {
        timeout: 20_000,
      },
    );
    const codes = await page.evaluate(() => (window as unknown as { codes: string[] }).codes);
    assert.ok(codes.includes('token-failed'), `call-error token-failed, got ${codes}`);
    assert.ok(tokenRequests <= 2, `one fresh token at most, got ${tokenRequests} token requests`);
    const message = await page.locator('call-room').locator('[part~="message"]').textContent();
    assert.ok(message && message.trim().length > 0, 'the error screen says why');

    const before = serverCalls.length;
    await page.waitForTimeout(3000);
    assert.equal(
      serverCalls.length,
      before,
      `no retries after the stop: ${serverCalls.slice(before).join(', ')}`,
    );
  });
});
