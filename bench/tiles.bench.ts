// `npm run bench -- tiles`: what the receiving page costs with N remote videos (shared/docs/performance.md §3d),
// the widget against a bare page, interleaved round by round in one run on the `npm start` stack (the local SFU in a process of its own):
//   widget: <call-room camera-off muted max-video=N> from dist/call-elements.iife.js, a pure viewer;
//   bare:   the same N videos pulled with partytracks into plain <video> elements on a grid of the same shape
//           (bench/support/tiles-bare-page.ts).
// The publishers are synthetic werift peers publishing through WHIP (bench/support/vp8-clip.ts): a VP8 clip
// that Chromium encoded once at start (320×240, 15 fps, 300 kbps), looped, video only, so during the windows
// Chromium decodes but never encodes. Steps N = 4, 9,
// 16, 25: publishers are added to reach N, then each variant opens one page at a time (fresh context), waits
// for N playing videos, settles, and measures a window:
//   - main thread: CDP Performance.getMetrics TaskDuration (ScriptDuration, style, layout) per second;
//   - Chromium CPU: CDP SystemInfo.getProcessInfo cpuTime summed over all processes (browser, GPU, renderer,
//     utility) per second; only the measured page is open, so this is that page's whole cost;
//   - dropped frames: getVideoPlaybackQuality() and inbound-rtp framesDropped/freezes, and decoded fps.
//
// Env: TILES_BENCH_ROUNDS (default 3), TILES_BENCH_STEPS (default 4,9,16,25), TILES_BENCH_WINDOW_MS (default
// 8000), TILES_BENCH_NETNS=0 (don't re-exec in a private network namespace), TILES_BENCH_PROFILE=dir (write a
// CPU profile of the widget's window at each step, for DevTools), TILES_BENCH_VARIANTS=widget,bare (a subset),
// TILES_BENCH_WIDGET_STYLE='--call-video-tile-radius: 0' (an inline style on <call-room>, for experiments).
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { isInsidePrivateNetwork } from '../.ci/netns.mjs';
import { reexecInPrivateNetwork } from './support/private-network.js';
import { createCallToken } from '../server/core/call-token.js';
import { launchBenchChromium } from './support/bench-browser.js';
import { assertBuilt } from '../test/support/bundle-page.js';
import { TEST_TOKEN_SECRET } from '../test/support/test-secrets.js';
import { bundle, repoRoot } from './support/join-pages.js';
import { median } from './support/percentile.js';
import type { TilesSnapshot } from './support/tiles-probe.js';
import { recordVp8Clip, Vp8ClipPublisher } from './support/vp8-clip.js';
import { startBenchStack, type BenchStack } from './support/bench-stack.js';
import { threadCpuDelta, threadCpuMs } from './support/thread-cpu.js';

const ROUNDS = Math.max(1, Number(process.env.TILES_BENCH_ROUNDS) || 3);
const STEPS = (process.env.TILES_BENCH_STEPS ?? '4,9,16,25')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const WINDOW_MS = Math.max(1000, Number(process.env.TILES_BENCH_WINDOW_MS) || 8000);
const PROFILE_DIR = process.env.TILES_BENCH_PROFILE;
/** Inline style for <call-room>, for experiments such as `--call-video-tile-radius: 0`. */
const WIDGET_STYLE = process.env.TILES_BENCH_WIDGET_STYLE;
const SETTLE_MS = 3000;
const PLAYING_TIMEOUT_MS = 30_000;
const GOAL = 1.1;
const ROOM = `tiles-${randomUUID().slice(0, 8)}`;
const NETNS_MARKER = 'TILES_BENCH_NETNS';
const VIEWPORT = { width: 1280, height: 720 };

type Variant = 'widget' | 'muted' | 'bare';
const ALL_VARIANTS: readonly Variant[] = ['widget', 'muted', 'bare'];
const VARIANTS: readonly Variant[] = process.env.TILES_BENCH_VARIANTS
  ? ALL_VARIANTS.filter((v) => process.env.TILES_BENCH_VARIANTS?.split(',').includes(v))
  : ALL_VARIANTS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

// ---- pages ----

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tiles bench: ${title}</title>
<style>html,body{height:100%;margin:0}body{display:flex;flex-direction:column}call-room{flex:1;min-height:0}</style>
</head><body>${body}</body></html>`;

// A pure viewer: no camera, no microphone, no pre-join screen; the stage holds all N videos.
const widgetPage = page(
  'widget',
  `<script src="/dist/call-elements.iife.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const room = document.createElement('call-room');
  room.setAttribute('token-endpoint', '/api/call-token');
  room.setAttribute('room', params.get('room'));
  room.setAttribute('display-name', 'widget viewer');
  room.setAttribute('max-video', params.get('n'));
  for (const flag of ['camera-off', 'muted', 'without-prejoin']) room.toggleAttribute(flag, true);
  if (params.get('style')) room.setAttribute('style', params.get('style'));
  document.body.append(room);
</script>`,
);

interface Pages {
  root: string;
  probe: string;
  dispose(): Promise<void>;
}

async function writePages(): Promise<Pages> {
  const root = await mkdtemp(join(tmpdir(), 'tiles-bench-'));
  await mkdir(join(root, 'dist'));
  // A snapshot of the bundle: a rebuild mid-run changes nothing.
  await copyFile(join(repoRoot, 'dist/call-elements.iife.js'), join(root, 'dist/call-elements.iife.js'));
  const [probe, bare] = await Promise.all([
    bundle('bench/support/tiles-probe.ts', 'iife'),
    bundle('bench/support/tiles-bare-page.ts', 'esm'),
  ]);
  await Promise.all([
    writeFile(join(root, 'bare.js'), bare),
    writeFile(join(root, 'bare.html'), page('bare', '<script type="module" src="/bare.js"></script>')),
    writeFile(join(root, 'widget.html'), widgetPage),
  ]);
  return { root, probe, dispose: () => rm(root, { recursive: true, force: true }) };
}

// ---- measuring ----

interface Sample {
  variant: Variant;
  n: number;
  round: number;
  seconds: number;
  /** Per second of wall time. */
  taskMs: number;
  scriptMs: number;
  styleLayoutMs: number;
  chromiumCpuMs: number;
  rendererCpuMs: number;
  /** Over the window. */
  dropped: number;
  presented: number;
  decodedFps: number;
  framesDropped: number;
  freezes: number;
  videoSize: string;
  load: string;
  /** CPU ms per second by Chromium thread name. */
  threads: Map<string, number>;
}

async function pageMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

async function processCpu(browserCdp: CDPSession): Promise<{ total: number; renderer: number }> {
  const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number; cpuTime: number }[];
  };
  let total = 0;
  let renderer = 0;
  for (const p of processInfo) {
    total += p.cpuTime;
    if (p.type === 'renderer') renderer += p.cpuTime;
  }
  return { total, renderer };
}

async function waitPlaying(page: Page, n: number): Promise<void> {
  const deadline = Date.now() + PLAYING_TIMEOUT_MS;
  let playing = 0;
  while (Date.now() < deadline) {
    playing = ((await page.evaluate('window.__tiles.snapshot()')) as TilesSnapshot).playing;
    if (playing >= n) return;
    await sleep(500);
  }
  throw new Error(`only ${playing} of ${n} videos playing after ${PLAYING_TIMEOUT_MS / 1000} s`);
}

async function measure(
  browser: Browser,
  browserCdp: CDPSession,
  stack: BenchStack,
  pages: Pages,
  variant: Variant,
  n: number,
  round: number,
): Promise<Sample> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const errors: string[] = [];
  try {
    await context.addInitScript({ content: pages.probe });
    // A viewer's token (no publish right) for the widget and the bare page; the muted participant gets the
    // demo endpoint's, which may publish, so its widget opens the microphone for "talking while muted".
    if (variant !== 'muted') {
      const token = await createCallToken({
        secret: TEST_TOKEN_SECRET,
        room: ROOM,
        userId: `viewer-${randomUUID()}`,
        name: 'Viewer',
        canPublish: false,
        canSubscribe: true,
      });
      await context.route('**/api/call-token', (route) => route.fulfill({ json: { token } }));
    }
    const tab = await context.newPage();
    tab.on('pageerror', (error) => errors.push(error.message));
    const style = WIDGET_STYLE ? `&style=${encodeURIComponent(WIDGET_STYLE)}` : '';
    await tab.goto(`${stack.url}/${variant === 'bare' ? 'bare' : 'widget'}.html?room=${ROOM}&n=${n}${style}`);
    await waitPlaying(tab, n);
    await sleep(SETTLE_MS);
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Performance.enable');
    const profiling = PROFILE_DIR && variant !== 'bare' && round === 0;
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const before = (await tab.evaluate('window.__tiles.snapshot()')) as TilesSnapshot;
    const metricsBefore = await pageMetrics(cdp);
    const cpuBefore = await processCpu(browserCdp);
    const threadsBefore = threadCpuMs();
    const t0 = performance.now();
    await sleep(WINDOW_MS);
    const cpuAfter = await processCpu(browserCdp);
    const threadsAfter = threadCpuMs();
    const metricsAfter = await pageMetrics(cdp);
    const seconds = (performance.now() - t0) / 1000;
    const after = (await tab.evaluate('window.__tiles.snapshot()')) as TilesSnapshot;
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(join(PROFILE_DIR, `${variant}-${n}.cpuprofile`), JSON.stringify(profile));
    }
    const perSecond = (name: string) =>
      (((metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0)) * 1000) / seconds;
    const pageErrors = [...errors, ...((await tab.evaluate('window.__tiles.errors')) as string[])];
    if (pageErrors.length)
      console.log(`  ${variant} N=${n}: page errors: ${pageErrors.slice(0, 3).join('; ')}`);
    return {
      variant,
      n,
      round,
      seconds,
      taskMs: perSecond('TaskDuration'),
      scriptMs: perSecond('ScriptDuration'),
      styleLayoutMs: perSecond('RecalcStyleDuration') + perSecond('LayoutDuration'),
      chromiumCpuMs: ((cpuAfter.total - cpuBefore.total) * 1000) / seconds,
      rendererCpuMs: ((cpuAfter.renderer - cpuBefore.renderer) * 1000) / seconds,
      dropped: after.droppedVideoFrames - before.droppedVideoFrames,
      presented: after.totalVideoFrames - before.totalVideoFrames,
      decodedFps: (after.framesDecoded - before.framesDecoded) / ((after.at - before.at) / 1000) / n,
      framesDropped: after.framesDropped - before.framesDropped,
      freezes: after.freezeCount - before.freezeCount,
      videoSize: after.firstVideoSize,
      load: load(),
      threads: threadCpuDelta(threadsBefore, threadsAfter, seconds),
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}

// ---- reporting ----

const f = (value: number, width: number, digits = 0) =>
  (Number.isFinite(value) ? value.toFixed(digits) : '-').padStart(width);
const ratio = (a: number, b: number, width: number) =>
  (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '-').padStart(width);

const LABEL: Record<Variant, string> = { widget: 'widget', muted: 'muted', bare: 'bare' };

function report(samples: Sample[]): void {
  console.log('');
  console.log(
    `Per second of wall time, median over ${ROUNDS} round(s) of ${WINDOW_MS / 1000} s; × bare in brackets. ` +
      'widget: <call-room> as a viewer; muted: <call-room> as a participant joined muted, camera off.',
  );
  console.log(
    `${'N'.padStart(3)} ${'variant'.padEnd(7)}${'main thread ms/s'.padStart(18)}${'script'.padStart(8)}` +
      `${'style+layout'.padStart(13)}${'renderer CPU ms/s'.padStart(19)}${'Chromium CPU ms/s'.padStart(19)}` +
      `${'ms/shown frame'.padStart(17)}` +
      `${'dropped/presented'.padStart(19)}${'fps/tile'.padStart(9)}${'freezes'.padStart(8)}${'tile px'.padStart(9)}`,
  );
  const verdicts: string[] = [];
  for (const n of STEPS) {
    const of = (variant: Variant) => samples.filter((s) => s.n === n && s.variant === variant);
    const med = (variant: Variant, pick: (s: Sample) => number) => median(of(variant).map(pick));
    const sum = (variant: Variant, pick: (s: Sample) => number) =>
      of(variant).reduce((a, s) => a + pick(s), 0);
    const cell = (variant: Variant, pick: (s: Sample) => number, width: number, digits = 0) => {
      const value = f(med(variant, pick), 0, digits);
      const times = variant === 'bare' ? '' : ` (${ratio(med(variant, pick), med('bare', pick), 0)})`;
      return `${value}${times}`.padStart(width);
    };
    for (const variant of VARIANTS) {
      console.log(
        `${String(n).padStart(3)} ${LABEL[variant].padEnd(7)}` +
          cell(variant, (s) => s.taskMs, 18, 1) +
          f(
            med(variant, (s) => s.scriptMs),
            8,
            1,
          ) +
          f(
            med(variant, (s) => s.styleLayoutMs),
            13,
            1,
          ) +
          cell(variant, (s) => s.rendererCpuMs, 19) +
          cell(variant, (s) => s.chromiumCpuMs, 19) +
          cell(variant, (s) => (s.chromiumCpuMs * s.seconds) / s.presented, 17, 2) +
          `${sum(variant, (s) => s.dropped)}/${sum(variant, (s) => s.presented)}`.padStart(19) +
          f(
            med(variant, (s) => s.decodedFps),
            9,
            1,
          ) +
          String(sum(variant, (s) => s.freezes)).padStart(8) +
          (of(variant)[0]?.videoSize ?? '-').padStart(9),
      );
    }
    for (const variant of VARIANTS.filter((v) => v !== 'bare')) {
      const cpu = med(variant, (s) => s.chromiumCpuMs) / med('bare', (s) => s.chromiumCpuMs);
      verdicts.push(`${LABEL[variant]} N=${n} ${cpu.toFixed(2)}× ${cpu <= GOAL ? 'PASS' : 'FAIL'}`);
    }
  }
  console.log('');
  console.log(
    `Where the Chromium CPU goes, ms/s by thread name, ${VARIANTS.map((v) => LABEL[v]).join('/')} ` +
      '(median; threads above 5 ms/s in any page):',
  );
  for (const n of STEPS) {
    const names = new Set(samples.filter((s) => s.n === n).flatMap((s) => [...s.threads.keys()]));
    const cells: string[] = [];
    for (const name of names) {
      const values = VARIANTS.map((variant) =>
        median(
          samples.filter((s) => s.n === n && s.variant === variant).map((s) => s.threads.get(name) ?? 0),
        ),
      );
      if (values.some((v) => v > 5)) cells.push(`${name} ${values.map((v) => v.toFixed(0)).join('/')}`);
    }
    console.log(`  N=${n}: ${cells.join(', ')}`);
  }
  console.log('');
  console.log(`goal: Chromium CPU ≤ ${GOAL}× bare: ${verdicts.join(', ')}`);
  console.log(
    `setup: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, ` +
      `${isInsidePrivateNetwork(NETNS_MARKER) ? 'private namespace, lo only' : 'host namespace'}; ` +
      `publishers: WHIP VP8 clip 320×240 @ 15 fps ≤ 300 kbps, video only; viewport ${VIEWPORT.width}×${VIEWPORT.height}; ` +
      `load average (1 min) during the windows ${samples.map((s) => s.load.split(' ')[0]).join(' ')}; now ${load()}`,
  );
}

// ---- main ----

async function main(): Promise<void> {
  assertBuilt();
  const pages = await writePages();
  const stack = await startBenchStack(TEST_TOKEN_SECRET, {
    demo: pages.root,
    dist: join(pages.root, 'dist'),
  });
  const browser = await launchBenchChromium();
  const publishers: Vp8ClipPublisher[] = [];
  try {
    const browserCdp = await browser.newBrowserCDPSession();
    const clip = await recordVp8Clip(browser, stack.url);
    console.log(
      `tiles bench: N = ${STEPS.join(', ')}; ${ROUNDS} round(s) × widget/bare per N, ${WINDOW_MS / 1000} s windows; ` +
        `Chromium ${browser.version()}; load average ${load()}`,
    );
    const samples: Sample[] = [];
    for (const n of STEPS) {
      while (publishers.length < n) {
        const token = await createCallToken({
          secret: TEST_TOKEN_SECRET,
          room: ROOM,
          userId: `publisher-${publishers.length + 1}`,
          name: `Publisher ${publishers.length + 1}`,
          canPublish: true,
        });
        publishers.push(await Vp8ClipPublisher.publish(`${stack.url}/whip/${ROOM}`, token, clip));
      }
      await sleep(1000);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        const line: string[] = [];
        for (const variant of order) {
          try {
            const sample = await measure(browser, browserCdp, stack, pages, variant, n, round);
            samples.push(sample);
            line.push(
              `${variant} main ${sample.taskMs.toFixed(0)} ms/s, Chromium ${sample.chromiumCpuMs.toFixed(0)} ms/s, ` +
                `dropped ${sample.dropped}`,
            );
          } catch (error) {
            line.push(`${variant} failed: ${(error as Error).message}`);
          }
        }
        console.log(`N=${n} round ${round + 1} (load ${load()}): ${line.join('; ')}`);
      }
    }
    report(samples);
  } finally {
    await Promise.all(publishers.map((p) => p.stop().catch(() => undefined)));
    await browser.close().catch(() => undefined);
    await stack.close().catch(() => undefined);
    await pages.dispose();
  }
}

if (!reexecInPrivateNetwork(NETNS_MARKER)) await main();
