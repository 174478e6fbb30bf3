// `npm run bench -- whep`: time to first frame of one publisher for two kinds of viewer, interleaved round by
// round in one run: a WHEP viewer (<call-player> from dist/call-player.iife.js, demo/player.html) and a
// <call-room> viewer (dist/call-elements.iife.js, camera and mic off so it only watches). The publisher is the
// OBS-like Node publisher of the tests (generated H.264 320×240 at 15 fps + Opus) streaming into the room
// through WHIP, so both viewers watch the same H.264 stream. Time runs in the page, from the moment the viewer
// starts (the <call-player> is inserted; the Join button is clicked) to the first frame with videoWidth > 0
// (requestVideoFrameCallback). The player's time includes its token request; the room's does not (the
// pre-join screen already holds a token), so the comparison favours <call-room> slightly.
//
// Env: WHEP_BENCH_ROUNDS (default 8), WHEP_BENCH_NETNS=0 (don't re-exec in a private network namespace).
import type { Browser, Page } from 'playwright-core';
import { isInsidePrivateNetwork } from '../.ci/netns.mjs';
import { reexecInPrivateNetwork } from './support/private-network.js';
import { createCallToken } from '../server/core/call-token.js';
import { readDevStackConfig } from '../server/node/config.js';
import { startDevStack, type DevStack } from '../server/node/dev-stack.js';
import { launchChromium } from '../test/support/browser.js';
import { assertBuilt, repoRoot } from '../test/support/bundle-page.js';
import { TEST_TOKEN_SECRET } from '../test/support/test-secrets.js';
import { publishWhip, type WhipSession } from '../test/support/whip-client.js';
import { median, percentile } from './support/percentile.js';

const ROUNDS = Math.max(1, Number(process.env.WHEP_BENCH_ROUNDS) || 8);
const ROOM = 'standup';
const STEP_TIMEOUT_MS = 15_000;
const NETNS_MARKER = 'WHEP_BENCH_NETNS';

type Variant = 'whep' | 'room';
const LABEL: Record<Variant, string> = { whep: 'WHEP <call-player>', room: '<call-room> viewer' };

/** WHEP: insert a <call-player> for the stage; ms until its first decoded frame. */
async function whepFirstFrame(page: Page): Promise<number> {
  return page.evaluate(async (timeoutMs) => {
    const started = performance.now();
    const player = document.createElement('call-player');
    player.setAttribute('src', '/whep/standup');
    player.setAttribute('token-endpoint', '/api/call-token');
    document.body.append(player);
    const deadline = started + timeoutMs;
    for (;;) {
      const video = player.shadowRoot?.querySelector('video');
      if (video && video.videoWidth > 0) break;
      if (performance.now() > deadline) throw new Error('no frame from the WHEP player');
      await new Promise((r) => requestAnimationFrame(r));
    }
    const video = player.shadowRoot!.querySelector('video')!;
    const firstFrame = await new Promise<number>((resolve) =>
      video.requestVideoFrameCallback((now) => resolve(now)),
    );
    return firstFrame - started;
  }, STEP_TIMEOUT_MS);
}

/** <call-room>: click Join on the pre-join screen; ms until the stream's tile shows its first frame. */
async function roomFirstFrame(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Join now' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  return page.evaluate(async (timeoutMs) => {
    const room = document.querySelector('call-room')!;
    const prejoin = room.shadowRoot!.querySelector('call-prejoin')!;
    const button = [...prejoin.shadowRoot!.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Join now'),
    )!;
    const started = performance.now();
    button.click();
    const deadline = started + timeoutMs;
    let video: HTMLVideoElement | undefined;
    for (;;) {
      type Tile = HTMLElement & { participant?: { isLocal: boolean } };
      const tiles = [...(room.shadowRoot?.querySelectorAll<Tile>('video-tile') ?? [])];
      video = tiles
        .filter((t) => t.participant && !t.participant.isLocal)
        .map((t) => t.shadowRoot?.querySelector('video'))
        .find((v): v is HTMLVideoElement => !!v && v.videoWidth > 0);
      if (video) break;
      if (performance.now() > deadline) throw new Error('no frame in the room');
      await new Promise((r) => requestAnimationFrame(r));
    }
    const firstFrame = await new Promise<number>((resolve) =>
      video!.requestVideoFrameCallback((now) => resolve(now)),
    );
    return firstFrame - started;
  }, STEP_TIMEOUT_MS);
}

async function measure(browser: Browser, stack: DevStack, variant: Variant): Promise<number> {
  const page = await browser.newPage();
  try {
    if (variant === 'whep') {
      await page.goto(`${stack.url}/player.html`);
      await page.evaluate(() => document.querySelector('call-player')?.remove());
      return await whepFirstFrame(page);
    }
    // The demo room, as a pure viewer: no camera, no microphone.
    await page.goto(`${stack.url}/`);
    await page.evaluate(() => {
      const room = document.querySelector('call-room')!;
      room.setAttribute('camera-off', '');
      room.setAttribute('muted', '');
    });
    return await roomFirstFrame(page);
  } finally {
    await page.close();
  }
}

function report(samples: Record<Variant, number[]>): void {
  const row = (v: Variant) => {
    const s = samples[v];
    return `${LABEL[v].padEnd(22)} n=${String(s.length).padStart(2)}  median ${median(s).toFixed(0).padStart(5)} ms  p90 ${percentile(s, 90).toFixed(0).padStart(5)} ms  min ${Math.min(
      ...s,
    )
      .toFixed(0)
      .padStart(5)} ms`;
  };
  console.log('\ntime to first frame, same publisher (OBS-like WHIP, H.264 320x240@15):');
  console.log(row('whep'));
  console.log(row('room'));
  const ratio = median(samples.whep) / median(samples.room);
  console.log(`ratio WHEP / <call-room> (medians): ${ratio.toFixed(2)}`);
}

async function main(): Promise<void> {
  assertBuilt();
  console.log(
    `whep bench: ${ROUNDS} rounds, ${isInsidePrivateNetwork(NETNS_MARKER) ? 'private namespace' : 'host namespace'}`,
  );
  const stack = await startDevStack(readDevStackConfig({ PORT: '0', CALL_TOKEN_SECRET: TEST_TOKEN_SECRET }), {
    staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
  });
  const browser = await launchChromium();
  let whip: WhipSession | undefined;
  try {
    const token = await createCallToken({
      secret: TEST_TOKEN_SECRET,
      room: ROOM,
      userId: 'bench-encoder',
      name: 'Encoder',
      canPublish: true,
    });
    whip = await publishWhip(`${stack.url}/whip/${ROOM}`, token);
    await new Promise((r) => setTimeout(r, 1_000));
    const samples: Record<Variant, number[]> = { whep: [], room: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so neither always meets a warm keyframe cache.
      const order: Variant[] = round % 2 === 0 ? ['whep', 'room'] : ['room', 'whep'];
      for (const variant of order) {
        const ms = await measure(browser, stack, variant);
        samples[variant].push(ms);
        console.log(`round ${round + 1} ${LABEL[variant]}: ${ms.toFixed(0)} ms`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    report(samples);
  } finally {
    await whip?.stop().catch(() => undefined);
    await browser.close();
    await stack.close();
  }
}

if (!reexecInPrivateNetwork(NETNS_MARKER)) await main();
