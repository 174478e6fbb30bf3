// Audio levels on the real stack: a page whose microphone "talks" (a steady tone as the fake mic) shows as
// speaking on the other page; muted, it stops speaking there and gets the "are you talking?" hint itself.
// Muted, it sends almost nothing (the local SFU asks for Opus DTX); unmuted, its audio flows again at once.
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

/** An init script: keeps the page's RTCPeerConnections, to read what they send. */
const keepPeerConnections = () => {
  const w = window as unknown as { __pcs: RTCPeerConnection[] };
  w.__pcs = [];
  window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      w.__pcs.push(pc);
      return pc;
    },
  });
};

/** Audio RTP packets the page has sent, over all its connections. */
const audioPacketsSent = async () => {
  let sent = 0;
  for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
    if (pc.connectionState === 'closed') continue;
    for (const s of (await pc.getStats()).values())
      if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent ?? 0;
  }
  return sent;
};

/** Audio packets per second `page` sends over `ms`. */
async function audioRate(page: Page, ms: number): Promise<number> {
  const before = await page.evaluate(audioPacketsSent);
  const started = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  const after = await page.evaluate(audioPacketsSent);
  return ((after - before) * 1000) / (Date.now() - started);
}

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
    await a.addInitScript(keepPeerConnections);
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

  it('muted, the microphone sends a few packets a second (Opus DTX); unmuted, the tone flows at once', async () => {
    const microphone = a
      .locator('call-room')
      .locator('call-controls')
      .getByRole('button', { name: 'Microphone' });
    assert.ok((await audioRate(a, 1000)) > 30, 'the talking microphone sends about 50 packets a second');
    await microphone.click();
    await until(b, (p) => p.remoteMuted, 'B sees A muted');
    await new Promise((r) => setTimeout(r, 500));
    const muted = await audioRate(a, 3000);
    assert.ok(muted < 5, `muted: ${muted.toFixed(1)} audio packets/s`);
    await microphone.click();
    await until(b, (p) => !p.remoteMuted, 'B sees A unmuted');
    const unmuted = await audioRate(a, 1000);
    assert.ok(unmuted > 30, `unmuted: ${unmuted.toFixed(1)} audio packets/s`);
    await until(b, (p) => p.remoteSpeaking, 'B hears A speaking again');
  });
});
