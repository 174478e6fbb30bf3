// Node-side helpers for end-to-end tests: a headless Debian Chromium with fake media, driven by playwright-core.
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium-flags.mjs';

/** Launches headless Chromium with fake devices and loopback WebRTC; pass `args` to replace the default flags. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, ...options });
}
