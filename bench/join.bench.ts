// `npm run bench -- join`: time to first frame (shared/docs/performance.md §3a, case i). A publisher is
// already in the room and sending; a second page clicks Join, and we time from the click's `timeStamp` to
// the first remote frame the page renders (`requestVideoFrameCallback`, `expectedDisplayTime`, videoWidth > 0).
// Three variants, interleaved round by round in one run on one machine:
//   widget: <call-room> from dist/call-elements.iife.js (call server + local werift SFU);
//   bare:   partytracks on a plain page, same server and SFU (bench/support/bare-page.ts);
//   p2p:    a direct PeerConnection between two pages, the floor (bench/support/p2p-page.ts).
// Also prints the gzip -9 size of the script-tag bundle against its 84 KB budget.
//
// Env: JOIN_BENCH_ROUNDS (default 10), JOIN_BENCH_WIDGET_AUDIO=1 (widget publishes its microphone too),
// JOIN_BENCH_VARIANTS=bare,p2p (a subset), JOIN_BENCH_NETNS=0 (don't re-exec in a private network namespace),
// JOIN_BENCH_TRACE=dir (write a Chromium trace and a CPU profile of each measured join there, for Perfetto or
// DevTools), JOIN_BENCH_JSON=file (write every sample, with its phase marks in order, as JSON),
// JOIN_BENCH_LOAD=n (the busy variant: n threads spinning beside the pages for the whole run; 2 on a 2-core
// machine gives a load average of about 5).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { isInsidePrivateNetwork } from '../.ci/netns.mjs';
import { reexecInPrivateNetwork } from './support/private-network.js';
import { readDevStackConfig } from '../server/node/config.js';
import { startDevStack, type DevStack } from '../server/node/dev-stack.js';
import type { JoinProbeResult, OutboundVideoStats } from './support/join-probe.js';
import { launchBenchChromium } from './support/bench-browser.js';
import { repoRoot, writeJoinPages, type JoinPages, type Variant } from './support/join-pages.js';
import { median, percentile } from './support/percentile.js';
import { untilInPage } from './support/page-until.js';

const ROUNDS = Math.max(1, Number(process.env.JOIN_BENCH_ROUNDS) || 10);
const LOAD_THREADS = Math.max(0, Math.floor(Number(process.env.JOIN_BENCH_LOAD) || 0));
const WIDGET_AUDIO = process.env.JOIN_BENCH_WIDGET_AUDIO === '1';
const TRACE_DIR = process.env.JOIN_BENCH_TRACE;
const JSON_FILE = process.env.JOIN_BENCH_JSON;
const GOAL_RATIO = 1.5;
const GOAL_MS = 300;
const BUDGET_BYTES = 84 * 1024;
const BUNDLE = 'dist/call-elements.iife.js';
const PUBLISHER_SETTLE_MS = 500;
const SUBSCRIBER_SETTLE_MS = 300;
const STEP_TIMEOUT_MS = 15_000;
/** A variant that fails this many times in a row is dropped for the rest of the run. */
const MAX_CONSECUTIVE_FAILURES = 3;
const ALL_VARIANTS: readonly Variant[] = ['widget', 'bare', 'p2p'];
const VARIANTS: readonly Variant[] = process.env.JOIN_BENCH_VARIANTS
  ? ALL_VARIANTS.filter((v) => process.env.JOIN_BENCH_VARIANTS?.split(',').includes(v))
  : ALL_VARIANTS;
const LABEL: Record<Variant, string> = {
  widget: 'widget <call-room>',
  bare: 'bare partytracks',
  p2p: 'direct P2P',
};

// ---- network namespace ----

const NETNS_MARKER = 'JOIN_BENCH_NETNS';

function networkNote(): string {
  const names = Object.keys(networkInterfaces());
  const loOnly = names.every((n) => n === 'lo');
  if (isInsidePrivateNetwork(NETNS_MARKER) && loOnly) return 'private namespace, lo only';
  return `host namespace (interfaces: ${names.join(', ')}); servers and ICE on 127.0.0.1`;
}

// ---- statistics ----

const p90 = (values: readonly number[]) => percentile(values, 90);
const times = (ratio: number, width: number) =>
  (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '-').padStart(width);
const fmt = (ms: number, width = 7) => (Number.isFinite(ms) ? ms.toFixed(0) : '-').padStart(width);

// ---- one timed join ----

interface Sample {
  variant: Variant;
  round: number;
  ttff: number;
  result: JoinProbeResult;
  publisher: OutboundVideoStats;
  /** Renderer main-thread time from just before the click until the frame was seen (CDP Performance). */
  mainThread: MainThread;
}

interface MainThread {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

async function mainThreadMetrics(cdp: CDPSession): Promise<MainThread> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  const value = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return {
    taskMs: value('TaskDuration'),
    scriptMs: value('ScriptDuration'),
    layoutMs: value('LayoutDuration'),
    styleMs: value('RecalcStyleDuration'),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const until = (page: Page, what: string, test: string) => untilInPage(page, what, test, STEP_TIMEOUT_MS);

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink',
  'cc',
  'webrtc',
  'toplevel',
];

const publisherReady: Record<Variant, string> = {
  p2p: `window.__bench.marks['camera ready'] !== undefined`,
  bare: `window.__bench.marks['ws sent publish'] !== undefined && window.__bench.sendingVideo()`,
  widget: `window.__bench.marks['ws sent publish'] !== undefined && window.__bench.sendingVideo()`,
};

class JoinBench {
  readonly #contexts = new Set<BrowserContext>();

  constructor(
    readonly browser: Browser,
    readonly stack: DevStack,
    readonly pages: JoinPages,
  ) {}

  async #newContext(errors: string[]): Promise<BrowserContext> {
    const context = await this.browser.newContext({ viewport: { width: 800, height: 600 } });
    this.#contexts.add(context);
    await context.addInitScript({ content: this.pages.probe });
    context.on('page', (page) => page.on('pageerror', (error) => errors.push(error.message)));
    return context;
  }

  async #closeContexts(): Promise<void> {
    await Promise.all([...this.#contexts].map((c) => c.close().catch(() => undefined)));
    this.#contexts.clear();
  }

  async run(variant: Variant, round: number): Promise<Sample> {
    const room = `join-bench-${variant}-${round}-${randomUUID().slice(0, 8)}`;
    const query = `room=${encodeURIComponent(room)}${WIDGET_AUDIO ? '&audio=true' : ''}`;
    const url = (role: string) => `${this.stack.url}/${variant}.html?${query}&role=${role}`;
    const errors: string[] = [];
    try {
      const publisherContext = await this.#newContext(errors);
      // P2P signals over a BroadcastChannel, which needs one context; the SFU variants get one each.
      const subscriberContext = variant === 'p2p' ? publisherContext : await this.#newContext(errors);

      const publisher = await publisherContext.newPage();
      await publisher.goto(url('publisher'));
      await until(publisher, 'publisher sending', publisherReady[variant]);
      await sleep(PUBLISHER_SETTLE_MS);

      const subscriber = await subscriberContext.newPage();
      await subscriber.goto(url('subscriber'));
      const joinButton = subscriber.locator(this.pages.joinSelector[variant]);
      await joinButton.waitFor({ timeout: STEP_TIMEOUT_MS });
      await sleep(SUBSCRIBER_SETTLE_MS);
      await subscriber.evaluate('window.__bench.armed = true');
      const cdp = await subscriberContext.newCDPSession(subscriber);
      await cdp.send('Performance.enable');
      if (TRACE_DIR) {
        const path = join(TRACE_DIR, `${variant}-${round}.json`);
        await this.browser.startTracing(subscriber, { path, categories: TRACE_CATEGORIES });
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      const before = await mainThreadMetrics(cdp);
      await joinButton.click({ timeout: STEP_TIMEOUT_MS });
      await until(subscriber, 'first remote frame', 'window.__bench.frame !== undefined');
      const after = await mainThreadMetrics(cdp);
      if (TRACE_DIR) {
        await this.browser.stopTracing();
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(join(TRACE_DIR, `${variant}-${round}.cpuprofile`), JSON.stringify(profile));
      }
      const result = (await subscriber.evaluate('window.__bench.result()')) as JoinProbeResult;
      // Right after the first frame, getStats may not list the codec yet: read the stats again shortly.
      for (let i = 0; i < 10 && !result.stats.codec; i++) {
        await sleep(100);
        result.stats = ((await subscriber.evaluate('window.__bench.result()')) as JoinProbeResult).stats;
      }
      if (result.t0 === undefined || !result.frame) throw new Error('probe saw no click or no frame');
      const publisherStats = (await publisher.evaluate(
        'window.__bench.outboundVideoStats()',
      )) as OutboundVideoStats;
      result.errors.push(...errors);
      return {
        variant,
        round,
        ttff: result.frame.expectedDisplayTime - result.t0,
        result,
        publisher: publisherStats,
        mainThread: {
          taskMs: after.taskMs - before.taskMs,
          scriptMs: after.scriptMs - before.scriptMs,
          layoutMs: after.layoutMs - before.layoutMs,
          styleMs: after.styleMs - before.styleMs,
        },
      };
    } catch (error) {
      const detail = errors.length ? ` (page errors: ${errors.slice(0, 3).join('; ')})` : '';
      throw new Error(`${variant} round ${round}: ${(error as Error).message}${detail}`, { cause: error });
    } finally {
      await this.#closeContexts();
    }
  }
}

// ---- reporting ----

function bundleSize(file: string): { raw: number; gzip: number; how: string } {
  const source = readFileSync(file);
  try {
    const gzip = execFileSync('gzip', ['-9', '-c', file]).length;
    return { raw: source.length, gzip, how: 'gzip -9' };
  } catch {
    return { raw: source.length, gzip: gzipSync(source, { level: 9 }).length, how: 'zlib level 9' };
  }
}

/** The newest mtime under src/, to warn when dist/ is older than the sources it was built from. */
function newestSource(dir = join(repoRoot, 'src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const BREAKDOWN_MARKS = [
  'token sent',
  'datachannels/establish sent',
  'datachannels/establish answered',
  'token answered',
  'ws created',
  'ws open',
  'ws hello',
  'sessions/new sent',
  'ice-servers answered',
  'sessions/new answered',
  'pc created',
  'pull tracks/new sent',
  'pull tracks/new answered',
  'renegotiate answered',
  'remote video track',
  'remote video attached',
  'ice checking',
  'ice connected',
  'pc connected',
  'getUserMedia microphone',
  'microphone ready',
  'getUserMedia camera',
  'camera ready',
  'push tracks/new sent',
  'push tracks/new answered',
  'tracks/update sent',
  'datachannels/new sent',
  'ws sent publish',
];

function report(samples: Sample[], failures: string[], browserVersion: string, bundle: string): boolean {
  const by = (variant: Variant) => samples.filter((s) => s.variant === variant);
  const ttffs = (variant: Variant) => by(variant).map((s) => s.ttff);
  const directMedian = median(ttffs('p2p'));
  const directP90 = p90(ttffs('p2p'));

  console.log('');
  console.log('Time to first frame: Join click → first remote frame (rVFC expectedDisplayTime), ms');
  console.log(
    `${'variant'.padEnd(20)}${'n'.padStart(3)}${'median'.padStart(8)}${'p90'.padStart(8)}${'min'.padStart(8)}` +
      `${'max'.padStart(8)}   ${'median ×direct'.padStart(14)}${'p90 ×direct'.padStart(13)}`,
  );
  for (const variant of VARIANTS) {
    const values = ttffs(variant);
    const m = median(values);
    const p = p90(values);
    console.log(
      `${LABEL[variant].padEnd(20)}${String(values.length).padStart(3)}${fmt(m, 8)}${fmt(p, 8)}` +
        `${fmt(Math.min(...values), 8)}${fmt(Math.max(...values), 8)}   ` +
        `${times(m / directMedian, 14)}${times(p / directP90, 13)}`,
    );
  }
  const widget = median(ttffs('widget'));
  const bare = median(ttffs('bare'));
  if (Number.isFinite(widget) && Number.isFinite(bare))
    console.log(`widget / bare partytracks (median): ${(widget / bare).toFixed(2)}×`);

  console.log('');
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  if (Number.isFinite(widget)) {
    const ratio = widget / directMedian;
    console.log(
      `goal: widget ≤ ${GOAL_RATIO}× direct: ${ratio.toFixed(2)}× → ${verdict(ratio <= GOAL_RATIO)}; ` +
        `widget ≤ ${GOAL_MS} ms: ${widget.toFixed(0)} ms → ${verdict(widget <= GOAL_MS)}`,
    );
  } else {
    console.log('goal: not judged, the widget variant produced no sample');
  }

  const size = bundleSize(bundle);
  console.log(
    `bundle: ${BUNDLE} ${size.raw} B raw, ${size.gzip} B ${size.how} ` +
      `(${((size.gzip / BUDGET_BYTES) * 100).toFixed(0)}% of the ${BUDGET_BYTES} B budget) → ` +
      verdict(size.gzip <= BUDGET_BYTES),
  );

  console.log('');
  console.log('Where the time goes: median ms after the click (n = samples that reached the phase)');
  console.log(`${'phase'.padEnd(28)}${VARIANTS.map((v) => LABEL[v].padStart(22)).join('')}`);
  for (const name of BREAKDOWN_MARKS) {
    const cells = VARIANTS.map((variant) => {
      const values = by(variant)
        .map((s) => s.result.marks[name])
        .filter((t): t is number => t !== undefined);
      return values.length ? `${fmt(median(values), 6)} (n=${values.length})`.padStart(22) : '-'.padStart(22);
    });
    if (cells.some((c) => c.trim() !== '-')) console.log(`${name.padEnd(28)}${cells.join('')}`);
  }
  const frameRow = (label: string, pick: (s: Sample) => number | undefined) =>
    console.log(
      `${label.padEnd(28)}${VARIANTS.map((variant) => {
        const values = by(variant)
          .map(pick)
          .filter((t): t is number => t !== undefined);
        return values.length ? fmt(median(values), 6).padStart(22) : '-'.padStart(22);
      }).join('')}`,
    );
  // A negative time: the page connected before the click (the widget's pre-join screen connects early).
  frameRow('media connected, ms before click', (s) => {
    const connected = s.result.marks['pc connected'];
    return connected !== undefined && connected < 0 ? -connected : undefined;
  });
  frameRow('first frame receiveTime', (s) =>
    s.result.frame?.receiveTime !== undefined ? s.result.frame.receiveTime - s.result.t0! : undefined,
  );
  frameRow('first frame presentation', (s) => s.result.frame!.presentationTime - s.result.t0!);
  frameRow('first frame expected display', (s) => s.ttff);
  frameRow('HTTP requests before it', (s) => s.result.frame?.fetches);
  frameRow('main thread busy, ms (≈)', (s) => s.mainThread.taskMs);
  frameRow('  of which script, ms (≈)', (s) => s.mainThread.scriptMs);
  frameRow('  of which style, ms (≈)', (s) => s.mainThread.styleMs);
  frameRow('  of which layout, ms (≈)', (s) => s.mainThread.layoutMs);
  frameRow('  in long tasks, ms', (s) => s.result.longTasks.totalMs);
  frameRow('subscriber PLIs sent', (s) => s.result.stats.pliCount);
  frameRow('publisher PLIs received', (s) => s.publisher.pliCount);
  frameRow('publisher keyframes encoded', (s) => s.publisher.keyFramesEncoded);

  console.log('');
  const distinct = (variant: Variant, pick: (s: Sample) => string) =>
    [...new Set(by(variant).map(pick))].join('/');
  console.log(
    `parity: ${VARIANTS.filter((v) => by(v).length > 0)
      .map(
        (v) =>
          `${v} ${distinct(v, (s) => `${s.result.frame?.width}x${s.result.frame?.height}`)} ` +
          distinct(v, (s) => s.result.stats.codec ?? 'codec?'),
      )
      .join(', ')}`,
  );
  console.log(
    `setup: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Chromium ${browserVersion}, Node ${process.version}, ` +
      `network: ${networkNote()}; fake camera 320×240 @ 15 fps, VP8; widget audio ${WIDGET_AUDIO ? 'on' : 'off'}; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const pageErrors = samples.flatMap((s) => s.result.errors.map((e) => `${s.variant} #${s.round}: ${e}`));
  for (const line of [...failures, ...pageErrors]) console.log(`error: ${line}`);
  return VARIANTS.every((v) => by(v).length > 0);
}

// ---- main ----

async function main(): Promise<void> {
  const bundlePath = join(repoRoot, BUNDLE);
  if (!existsSync(bundlePath)) {
    console.error(`${BUNDLE} is missing: run npm run build first`);
    process.exitCode = 1;
    return;
  }
  if (statSync(bundlePath).mtimeMs < newestSource()) {
    console.log(`note: ${BUNDLE} is older than src/; run npm run build to measure the current widget`);
  }

  const [load] = loadavg();
  if (load !== undefined && load > cpus().length) {
    console.log(`note: load average ${load.toFixed(1)} on ${cpus().length} CPUs; expect noisy figures`);
  }
  // A fixed CPU load beside the pages: each thread spins until the run ends.
  const spinners = Array.from({ length: LOAD_THREADS }, () => new Worker('for (;;) {}', { eval: true }));
  const pages = await writeJoinPages();
  let stack: DevStack | undefined;
  let browser: Browser | undefined;
  try {
    stack = await startDevStack(readDevStackConfig({ PORT: '0' }), {
      staticRoots: { demo: pages.root, dist: pages.dist },
    });
    browser = await launchBenchChromium();
    const bench = new JoinBench(browser, stack, pages);
    console.log(
      `join bench: ${ROUNDS} rounds × ${VARIANTS.length} variants (+1 warm-up round), order alternating; ` +
        `network: ${networkNote()}` +
        (LOAD_THREADS ? `; busy: ${LOAD_THREADS} spinning thread(s) beside the pages` : '; idle'),
    );

    const samples: Sample[] = [];
    const failures: string[] = [];
    const failedInARow = new Map<Variant, number>();
    for (let round = 0; round <= ROUNDS; round++) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      const line: string[] = [];
      for (const variant of order) {
        if ((failedInARow.get(variant) ?? 0) >= MAX_CONSECUTIVE_FAILURES) continue;
        try {
          const sample = await bench.run(variant, round);
          failedInARow.set(variant, 0);
          line.push(`${variant} ${sample.ttff.toFixed(0)}`);
          if (round > 0) samples.push(sample);
        } catch (error) {
          const inARow = (failedInARow.get(variant) ?? 0) + 1;
          failedInARow.set(variant, inARow);
          line.push(`${variant} failed${inARow >= MAX_CONSECUTIVE_FAILURES ? ' (dropped)' : ''}`);
          failures.push((error as Error).message);
        }
      }
      console.log(`${round === 0 ? 'warm-up' : `round ${round}`}: ${line.join(', ')} ms`);
    }
    if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify(samples, null, 1));
    if (!report(samples, failures, browser.version(), pages.bundle)) {
      console.error('join bench: a variant produced no sample');
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(spinners.map((spinner) => spinner.terminate()));
    await browser?.close().catch(() => undefined);
    await stack?.close().catch(() => undefined);
    await pages.dispose();
  }
}

if (!reexecInPrivateNetwork(NETNS_MARKER)) await main();
