// Audio levels on the real stack: a page whose microphone "talks" (a steady tone as the fake mic) shows as
// speaking on the other page; muted, it stops speaking there and gets the "are you talking?" hint itself.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { joinFromPrejoin } from '../support/call-room-probe.js';
import { chromiumArgs } from '../support/chromium-flags.mjs';
import { startDemoStack } from '../support/demo-stack.js';
import { writeToneWav } from '../support/tone-wav.js';

/** The state of the first remote tile, and whether the local controls show the talking-while-muted hint. */
const probe = () => {
  const room = document.querySelector('call-room')!.shadowRoot!;
  const remote = [...room.querySelectorAll('video-tile')].find(
    (t) => !(t as unknown as { participant: { isLocal: boolean } }).participant.isLocal,
  );
  const hint = room.querySelector('call-controls')?.shadowRoot?.querySelector<HTMLElement>('[part~="hint"]');
  return {
    remoteSpeaking: remote?.matches(':state(speaking)') ?? false,
    remoteMuted: remote?.matches(':state(muted)') ?? false,
    hint: !!hint && getComputedStyle(hint).display !== 'none' && (hint.textContent ?? '').trim() !== '',
  };
};
type Probe = ReturnType<typeof probe>;

async function until(page: Page, test: (p: Probe) => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last: Probe | undefined;
  while (Date.now() < deadline) {
    last = await page.evaluate(probe);
    if (test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}; last: ${JSON.stringify(last)}`);
}

describe('<call-room> audio levels', () => {
  let stack: DevStack;
  let talking: Browser;
  let quiet: Browser;
  let a: Page;
  let b: Page;

  before(async () => {
    stack = await startDemoStack();
    const wav = writeToneWav(join(mkdtempSync(join(tmpdir(), 'call-tone-')), 'tone.wav'));
    talking = await launchChromium({ args: [...chromiumArgs, `--use-file-for-fake-audio-capture=${wav}`] });
    quiet = await launchChromium();
    a = await talking.newPage();
    b = await quiet.newPage();
    await a.goto(`${stack.url}/`);
    await b.goto(`${stack.url}/`);
    await joinFromPrejoin(a);
    await joinFromPrejoin(b);
  });

  after(async () => {
    await talking?.close();
    await quiet?.close();
    await stack?.close();
  });

  it('shows a talking participant as speaking on the other page', async () => {
    await until(b, (p) => p.remoteSpeaking, 'B sees A speaking', 20_000);
  });

  it('muted, the talker stops showing as speaking and gets the hint', async () => {
    await a.locator('call-room').locator('call-controls').getByRole('button', { name: 'Microphone' }).click();
    await until(b, (p) => p.remoteMuted && !p.remoteSpeaking, 'B sees A muted and silent');
    await until(a, (p) => p.hint, 'A is asked whether they are talking');
    await a.locator('call-room').locator('call-controls').getByRole('button', { name: 'Microphone' }).click();
    await until(a, (p) => !p.hint, 'the hint goes away when unmuted');
  });
});
