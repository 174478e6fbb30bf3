// Fault: a tab goes to the background for 2 minutes. Headless Chromium never throttles a page for being hidden,
// so the test does what Chrome's intensive throttling does at its worst, and more: it marks the page hidden
// (visibilitychange) and freezes it through the DevTools protocol (Page.setWebLifecycleState), so none of its
// timers or socket handlers run at all. Its media keeps flowing (WebRTC runs outside the page's task queues) and
// the browser still answers WebSocket pings. Afterwards the page must be in the call, showing everyone playing.
import { describe, it } from 'node:test';
import { assertRecovered, useFaultCall } from '../../support/fault-call.js';

const BACKGROUND_MS = 120_000;

describe('fault: a tab is backgrounded and frozen for 2 minutes', () => {
  const fault = useFaultCall();

  it('is still in the call afterwards', async (t) => {
    const { page, name } = fault.call[1];
    const devtools = await page.context().newCDPSession(page);
    await page.evaluate(() => {
      // Values, not getters: tsx names arrow functions with a helper the page does not have.
      Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, value: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await devtools.send('Page.setWebLifecycleState', { state: 'frozen' });
    await new Promise((r) => setTimeout(r, BACKGROUND_MS));
    await devtools.send('Page.setWebLifecycleState', { state: 'active' });
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'visible' });
      Object.defineProperty(document, 'hidden', { configurable: true, value: false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const recovery = await assertRecovered(fault.call, fault.stack.sfu);
    t.diagnostic(`${name} and the others playing ${recovery.pagesMs} ms after the tab came back`);
  });
});
