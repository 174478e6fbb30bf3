// The whole call with the keyboard only, on the demo page: Tab to the name field on the pre-join screen, type,
// Enter joins; Ctrl+D mutes; Tab reaches the microphone button in a few stops and Space unmutes; ? lists the
// shortcuts and Escape closes the list.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { waitForRoom } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';

/** What has focus, through shadow roots: `tag[part]` or `tag[aria-label]`. */
function focused(): string {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return 'none';
  const name = el.getAttribute('part') ?? el.getAttribute('aria-label') ?? el.getAttribute('name') ?? '';
  return `${el.tagName.toLowerCase()}[${name}]`;
}

async function tabTo(page: Page, target: string, most: number): Promise<number> {
  for (let stops = 1; stops <= most; stops++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(focused)) === target) return stops;
  }
  throw new Error(`${target} not reached in ${most} Tab presses; focus on ${await page.evaluate(focused)}`);
}

/** The controls' microphone button, in the given pressed state. */
const micButton = (page: Page, pressed: 'true' | 'false') =>
  page.locator('call-room').locator('call-controls').locator(`[part~="mic"][aria-pressed="${pressed}"]`);

const micPressed = (page: Page) =>
  page.locator('call-room').locator('call-controls').locator('[part~="mic"]').getAttribute('aria-pressed');

describe('<call-room> with the keyboard only', () => {
  let stack: DevStack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${stack.url}/`);
    await page.locator('call-prejoin').locator('[part~="join"]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('reaches the name field, types a name and joins with Enter', async () => {
    await tabTo(page, 'input[name-input]', 12);
    await page.keyboard.type('Keyboard Kim');
    await page.keyboard.press('Enter');
    const s = await waitForRoom(page, (r) => r.state === 'joined' && r.local.length === 1, 'joined', 15_000);
    assert.equal(s.local[0]?.name, 'Keyboard Kim');
  });

  it('mutes with Ctrl+D, then Tab reaches the microphone within a few stops and Space unmutes', async () => {
    await page.locator('call-room').locator('call-controls').locator('[part~="mic"]').waitFor();
    await page.waitForFunction(() => document.querySelector('call-room')?.state === 'joined');
    // The camera and mic open once the join settles; wait for the switch to show the microphone on.
    await micButton(page, 'true').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+d');
    await micButton(page, 'false').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const stops = await tabTo(page, 'button[mic]', 6);
    assert.ok(stops <= 2, `one stop for the only tile, then the microphone (${stops})`);
    await page.keyboard.press('Space');
    await page
      .locator('call-room')
      .locator('call-controls')
      .locator('[part~="mic"][aria-pressed="true"]')
      .waitFor();
    assert.equal(await micPressed(page), 'true');
  });

  it('lists the shortcuts on ? and closes the list with Escape', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Shift+Slash');
    const help = page.locator('call-room').locator('dialog[part~="help"]');
    await help.getByText('Turn the camera on or off').waitFor();
    await page.keyboard.press('Escape');
    await help.getByText('Turn the camera on or off').waitFor({ state: 'detached' });
  });
});
