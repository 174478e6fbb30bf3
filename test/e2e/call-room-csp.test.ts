// Under a strict Content-Security-Policy (no inline script or style, connect-src 'self'), the drop-in room
// joins, shows video and reports not a single policy violation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { startDemoStack } from '../support/demo-stack.js';
import { callRoomProbe, type RoomSnapshot, joinFromPrejoin } from '../support/call-room-probe.js';

describe('<call-room> under a strict CSP', () => {
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

  it('joins and plays video with zero securitypolicyviolation events', async () => {
    const pages: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await browser.newPage();
      // Injected through the DevTools protocol, so the policy does not apply to this collector itself.
      await page.addInitScript(() => {
        const w = window as unknown as { violations: string[] };
        w.violations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      await page.goto(`${stack.url}/csp.html`);
      await joinFromPrejoin(page);
      pages.push(page);
    }
    for (const page of pages) {
      const deadline = Date.now() + 30_000;
      let snapshot: RoomSnapshot | undefined;
      while (Date.now() < deadline) {
        snapshot = (await page.evaluate(callRoomProbe)) as RoomSnapshot;
        if (snapshot.remote[0]?.videoWidth > 0 && snapshot.remote[0].frames > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(
        snapshot && snapshot.remote[0]?.videoWidth > 0,
        `remote video plays: ${JSON.stringify(snapshot)}`,
      );
      const violations = await page.evaluate(
        () => (window as unknown as { violations: string[] }).violations,
      );
      assert.deepEqual(violations, [], 'no CSP violations');
    }
  });
});
