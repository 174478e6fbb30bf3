// Chromium as the media benchmarks run it: the test flags, plus nothing that would throttle a page the
// benchmark is not looking at (several pages share one window) or keep its media from playing unprompted.
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../test/support/browser.js';
import { chromiumArgs } from '../../test/support/chromium-flags.mjs';

export function launchBenchChromium(): Promise<Browser> {
  return launchChromium({
    args: [
      ...chromiumArgs,
      '--autoplay-policy=no-user-gesture-required',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}
