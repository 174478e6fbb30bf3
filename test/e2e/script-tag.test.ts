// The drop-in promise: a page with nothing but the script tag and the element gets a working picker.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { fakeCameraClip } from '../support/chromium-flags.mjs';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { assertBuilt, htmlRoute, repoRoot } from '../support/bundle-page.js';

const picker = '<device-picker kind="camera"></device-picker>';

describe('script-tag bundles', () => {
  let server: StaticServer;
  let browser: Browser;

  before(async () => {
    assertBuilt();
    server = await startStaticServer(repoRoot, {
      '/iife.html': htmlRoute(`<script src="/dist/call-elements.iife.js"></script>${picker}`),
      '/module.html': htmlRoute(`<script type="module" src="/dist/call-elements.js"></script>${picker}`),
      '/twice.html': htmlRoute(
        `<script src="/dist/call-elements.iife.js"></script><script src="/dist/call-elements.iife.js"></script>${picker}`,
      ),
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const page of ['iife.html', 'module.html', 'twice.html']) {
    it(`${page}: the element upgrades and lists the fake camera`, async () => {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`${server.url}/${page}`);
      const labels = await tab.waitForFunction(
        () => {
          const el = document.querySelector('device-picker');
          const options = el?.shadowRoot?.querySelectorAll('option');
          return el && (el as unknown as { status?: string }).status === 'ready'
            ? [...(options ?? [])].map((o) => o.textContent?.trim())
            : undefined;
        },
        undefined,
        { timeout: 10_000 },
      );
      assert.deepEqual(await labels.jsonValue(), [fakeCameraClip], 'the fake camera is labelled by its clip');
      assert.equal(await tab.evaluate(() => customElements.get('device-picker') !== undefined), true);
      if (page !== 'module.html') {
        assert.equal(
          await tab.evaluate(() => typeof (window as { CallElements?: unknown }).CallElements),
          'object',
        );
      }
      assert.deepEqual(errors, [], 'no page errors');
      await tab.close();
    });
  }
});
