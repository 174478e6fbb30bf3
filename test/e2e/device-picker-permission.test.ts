// Real permission flow: Chromium without the fake-UI flag hides devices until asked, then (headless, nobody to
// click "Allow") denies access. The picker must explain both states and report the denial.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { chromiumArgsWithoutMediaGrant } from '../support/chromium-flags.mjs';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { assertBuilt, htmlRoute, repoRoot } from '../support/bundle-page.js';

const page = `<script type="module" src="/dist/call-elements.js"></script>
<script>
  window.callErrors = [];
  document.addEventListener('call-error', (e) => window.callErrors.push(e.detail.code));
</script>
<device-picker kind="camera"></device-picker>`;

type Picker = HTMLElement & { status?: string };

const pickerStatus = (tab: Page, status: string) =>
  tab.waitForFunction(
    (s) => (document.querySelector('device-picker') as Picker | null)?.status === s,
    status,
    {
      timeout: 10_000,
    },
  );

const shadowText = (tab: Page, part: string) =>
  tab.evaluate(
    (p) =>
      document
        .querySelector('device-picker')
        ?.shadowRoot?.querySelector(`[part~="${p}"]`)
        ?.textContent?.trim(),
    part,
  );

describe('<device-picker> permission flow without the fake-UI grant', () => {
  let server: StaticServer;
  let browser: Browser;

  before(async () => {
    assertBuilt();
    server = await startStaticServer(repoRoot, { '/picker.html': htmlRoute(page) });
    browser = await launchChromium({ args: chromiumArgsWithoutMediaGrant });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for access, then shows the denial with a retry and fires call-error', async () => {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}/picker.html`);

    await pickerStatus(tab, 'needs-permission');
    assert.equal(await shadowText(tab, 'button'), 'Allow access');
    assert.deepEqual(
      await tab.evaluate(() => (window as unknown as { callErrors: string[] }).callErrors),
      [],
    );

    await tab.locator('device-picker').getByRole('button', { name: 'Allow access' }).click();
    await pickerStatus(tab, 'permission-denied');
    assert.match((await shadowText(tab, 'message')) ?? '', /blocked/);
    assert.equal(await shadowText(tab, 'button'), 'Try again');
    assert.equal(
      await tab.evaluate(() => document.querySelector('device-picker')!.matches(':state(permission-denied)')),
      true,
    );
    assert.deepEqual(await tab.evaluate(() => (window as unknown as { callErrors: string[] }).callErrors), [
      'permission-denied',
    ]);

    await tab.locator('device-picker').getByRole('button', { name: 'Try again' }).click();
    await tab.waitForFunction(() => (window as unknown as { callErrors: string[] }).callErrors.length === 2);
    await tab.close();
  });
});
