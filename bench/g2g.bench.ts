// `npm run bench -- g2g`: glass-to-glass latency (shared/docs/performance.md §3b). A 320×240 canvas with a frame
// counter is the camera (getUserMedia is overridden in the page, the widget code is untouched); the receiving
// page reads the counter back in requestVideoFrameCallback (bench/support/g2g-probe.ts). Three paths, rounds
// interleaved in one run on the `npm start` stack (the local SFU in a process of its own):
//   widget: <call-room> publishes the canvas → local SFU → <call-room> viewer (dist/call-elements.iife.js);
//   bare:   partytracks push (bench/support/bare-page.ts) → local SFU → partytracks pull into a plain <video>;
//   direct: one RTCPeerConnection between two pages of one browser, no server (bench/support/p2p-page.ts).
// Per frame: draw → receive (rVFC `receiveTime`: the frame's last packet arrived; not quantised) and draw →
// presented (`presentationTime`, quantised to the 16.7 ms display refresh), over many short rounds. Both
// conditions run in one go: idle, and busy (the receiving page also shows 9 tiles from synthetic VP8
// publishers; on the direct path a second page shows them beside the receiver). The sender's outbound-rtp
// (packet send delay, target and available bitrate) and the local SFU's transport-cc feedback intervals are
// reported per path, to see what holds Chrome's pacer.
//
// Env: G2G_BENCH_ROUNDS (default 6 per path and condition), G2G_BENCH_ROUND_MS (default 5000),
// G2G_BENCH_CONDITIONS=idle,busy, G2G_BENCH_PATHS=widget,bare,direct, G2G_BENCH_NETNS=0 (no private network
// namespace), G2G_BENCH_JSON=file (every frame and stat sample).
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isInsidePrivateNetwork } from '../.ci/netns.mjs';
import { reexecInPrivateNetwork } from './support/private-network.js';
import { createCallToken } from '../server/core/call-token.js';
import { launchBenchChromium } from './support/bench-browser.js';
import { assertBuilt } from '../test/support/bundle-page.js';
import { TEST_TOKEN_SECRET } from '../test/support/test-secrets.js';
import type { G2gFrame, G2gInbound, G2gOutbound } from './support/g2g-probe.js';
import { bundle, repoRoot } from './support/join-pages.js';
import { median, percentile } from './support/percentile.js';
import { recordVp8Clip, Vp8ClipPublisher } from './support/vp8-clip.js';
import { startBenchStack, type BenchStack } from './support/bench-stack.js';
import type { FeedbackRecord, SfuHealth } from './support/sfu-process.js';

const ROUNDS = Math.max(1, Number(process.env.G2G_BENCH_ROUNDS) || 6);
const ROUND_MS = Math.max(1000, Number(process.env.G2G_BENCH_ROUND_MS) || 5000);
const WARMUP_MS = 2000;
const STEP_TIMEOUT_MS = 20_000;
const BUSY_TILES = 9;
const GOAL_MS = 5;
const NETNS_MARKER = 'G2G_BENCH_NETNS';
const JSON_FILE = process.env.G2G_BENCH_JSON;

type Path = 'widget' | 'bare' | 'direct';
type Condition = 'idle' | 'busy';
const pick = <T extends string>(all: readonly T[], env: string | undefined): readonly T[] =>
  env ? all.filter((x) => env.split(',').includes(x)) : all;
const PATHS = pick<Path>(['widget', 'bare', 'direct'], process.env.G2G_BENCH_PATHS);
const CONDITIONS = pick<Condition>(['idle', 'busy'], process.env.G2G_BENCH_CONDITIONS);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

// ---- pages ----

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>g2g bench: ${title}</title>
<style>html,body{height:100%;margin:0}body{display:flex;flex-direction:column}call-room{flex:1;min-height:0}video{width:320px}</style>
</head><body>${body}</body></html>`;

// The publisher joins at once, muted, with a stage of one: in the busy room it would otherwise decode the 9 extra
// tiles too, which no other path's publisher does. The viewer (a token without publish right, see `viewerToken`)
// shows the whole room on its stage.
const widgetPage = page(
  'widget',
  `<script src="/dist/call-elements.iife.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const room = document.createElement('call-room');
  room.setAttribute('token-endpoint', '/api/call-token');
  room.setAttribute('room', params.get('room'));
  room.setAttribute('display-name', params.get('role'));
  room.setAttribute('max-video', params.get('role') === 'publisher' ? '1' : '12');
  for (const flag of ['muted', 'without-prejoin']) room.toggleAttribute(flag, true);
  if (params.get('role') !== 'publisher') room.toggleAttribute('camera-off', true);
  document.body.append(room);
</script>`,
);

interface Pages {
  root: string;
  probe: string;
  dispose(): Promise<void>;
}

async function writePages(): Promise<Pages> {
  const root = await mkdtemp(join(tmpdir(), 'g2g-bench-'));
  await mkdir(join(root, 'dist'));
  await copyFile(join(repoRoot, 'dist/call-elements.iife.js'), join(root, 'dist/call-elements.iife.js'));
  const [probe, p2p, bare, viewer] = await Promise.all([
    bundle('bench/support/g2g-probe.ts', 'iife'),
    bundle('bench/support/p2p-page.ts', 'esm'),
    bundle('bench/support/bare-page.ts', 'esm'),
    bundle('bench/support/tiles-bare-page.ts', 'esm'),
  ]);
  const script = (src: string) => `<script type="module" src="/${src}"></script>`;
  await Promise.all([
    writeFile(join(root, 'p2p.js'), p2p),
    writeFile(join(root, 'bare.js'), bare),
    writeFile(join(root, 'viewer.js'), viewer),
    writeFile(join(root, 'direct.html'), page('direct', script('p2p.js'))),
    writeFile(join(root, 'bare.html'), page('bare publisher', script('bare.js'))),
    writeFile(join(root, 'viewer.html'), page('bare viewer', script('viewer.js'))),
    writeFile(join(root, 'widget.html'), widgetPage),
  ]);
  return { root, probe, dispose: () => rm(root, { recursive: true, force: true }) };
}

// ---- one round ----

interface Round {
  path: Path;
  condition: Condition;
  round: number;
  /** Per decoded frame, ms. */
  drawToReceive: number[];
  drawToPresent: number[];
  framesRead: number;
  framesDrawn: number;
  checksumFailures: number;
  /** Sender outbound-rtp over the round. */
  sendDelayMs: number;
  encodeMs: number;
  sentKbps: number;
  targetKbps?: number;
  availableKbps?: number;
  rttMs?: number;
  limitation?: string;
  width?: number;
  nacks: number;
  plis: number;
  /** Receiver inbound-rtp over the round. */
  jitterBufferMs: number;
  processingMs: number;
  /** The local SFU's transport-cc feedback to this round's sender (SFU paths). */
  feedbackIntervalsMs: number[];
  /** Transport-wide sequence numbers the SFU's feedback covered, and how many it reported as not received. */
  feedbackCovered: number;
  /** The SFU process over the round. */
  sfu: SfuHealth;
  feedbackLost: number;
  load: string;
}

interface Rooms {
  busy: Record<'widget' | 'bare', string>;
}

class G2gBench {
  readonly #contexts = new Set<BrowserContext>();

  constructor(
    readonly browser: Browser,
    readonly stack: BenchStack,
    readonly pages: Pages,
    readonly rooms: Rooms,
  ) {}

  /** A fresh context; `viewerOf` serves a viewer's token (no publish right) for that room to the page. */
  async #context(viewerOf?: string): Promise<BrowserContext> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 720 } });
    this.#contexts.add(context);
    await context.addInitScript({ content: this.pages.probe });
    if (viewerOf) {
      const token = await viewerToken(viewerOf);
      await context.route('**/api/call-token', (route) => route.fulfill({ json: { token } }));
    }
    return context;
  }

  async run(path: Path, condition: Condition, round: number): Promise<Round> {
    const room =
      condition === 'busy' && path !== 'direct'
        ? this.rooms.busy[path]
        : `g2g-${path}-${round}-${randomUUID().slice(0, 8)}`;
    const url = (file: string, role: string) =>
      `${this.stack.url}/${file}.html?room=${encodeURIComponent(room)}&role=${role}&n=12`;
    try {
      const publisherContext = await this.#context();
      const subscriberContext = path === 'direct' ? publisherContext : await this.#context(room);
      const publisher = await publisherContext.newPage();
      await publisher.goto(url(path === 'direct' ? 'direct' : path, 'publisher'));
      await until(publisher, 'publisher sending', async () => {
        const out = (await publisher.evaluate('window.__g2g.outbound()')) as G2gOutbound | undefined;
        return (out?.packetsSent ?? 0) > 0 || path === 'direct';
      });
      if (path === 'direct' && condition === 'busy') {
        // The direct path has no room: a page beside the receiver shows the 9 tiles instead.
        const beside = await (await this.#context(this.rooms.busy.bare)).newPage();
        await beside.goto(
          `${this.stack.url}/viewer.html?room=${encodeURIComponent(this.rooms.busy.bare)}&n=${BUSY_TILES}`,
        );
      }
      const subscriber = await subscriberContext.newPage();
      await subscriber.goto(
        url(path === 'direct' ? 'direct' : path === 'bare' ? 'viewer' : 'widget', 'subscriber'),
      );
      if (path === 'direct') await subscriber.click('#join', { timeout: STEP_TIMEOUT_MS });
      await until(
        subscriber,
        'counter frames read',
        async () => ((await subscriber.evaluate('window.__g2g.frames.length')) as number) >= 10,
      );
      await sleep(WARMUP_MS);
      await subscriber.evaluate('window.__g2g.frames.length = 0; window.__g2g.checksumFailures = 0');
      const outBefore = (await publisher.evaluate('window.__g2g.outbound()')) as G2gOutbound;
      const inBefore = (await subscriber.evaluate('window.__g2g.inbound()')) as G2gInbound;
      await this.stack.sfu.feedback(); // drop what came before the window
      const t0 = performance.now();
      await sleep(ROUND_MS);
      const seconds = (performance.now() - t0) / 1000;
      const outAfter = (await publisher.evaluate('window.__g2g.outbound()')) as G2gOutbound;
      const inAfter = (await subscriber.evaluate('window.__g2g.inbound()')) as G2gInbound;
      const { records: feedback, health } = await this.stack.sfu.feedback();
      const frames = (await subscriber.evaluate('window.__g2g.frames')) as G2gFrame[];
      const checksumFailures = (await subscriber.evaluate('window.__g2g.checksumFailures')) as number;
      const draws = (await publisher.evaluate('window.__g2g.draws')) as Record<number, number>;
      const errors = [
        ...((await publisher.evaluate('window.__g2g.errors')) as string[]),
        ...((await subscriber.evaluate('window.__g2g.errors')) as string[]),
      ];
      if (errors.length)
        console.log(`  ${path} ${condition} #${round}: page errors: ${errors.slice(0, 3).join('; ')}`);
      // One frame can be presented more than once (a repeated rVFC): count each counter value once.
      const seen = new Set<number>();
      const drawToReceive: number[] = [];
      const drawToPresent: number[] = [];
      for (const frame of frames) {
        const drawn = draws[frame.k];
        if (drawn === undefined || seen.has(frame.k)) continue;
        seen.add(frame.k);
        if (frame.receiveTime !== undefined) drawToReceive.push(frame.receiveTime - drawn);
        drawToPresent.push(frame.presentationTime - drawn);
      }
      const packets = outAfter.packetsSent - outBefore.packetsSent;
      const encoded = outAfter.framesEncoded - outBefore.framesEncoded;
      const emitted = inAfter.jitterBufferEmittedCount - inBefore.jitterBufferEmittedCount;
      const decoded = inAfter.framesDecoded - inBefore.framesDecoded;
      const kbps = (value: number | undefined) => (value === undefined ? undefined : value / 1000);
      return {
        path,
        condition,
        round,
        drawToReceive,
        drawToPresent,
        framesRead: seen.size,
        framesDrawn: Math.round(seconds * 15),
        checksumFailures,
        sendDelayMs:
          packets > 0
            ? ((outAfter.totalPacketSendDelay - outBefore.totalPacketSendDelay) / packets) * 1000
            : NaN,
        encodeMs:
          encoded > 0 ? ((outAfter.totalEncodeTime - outBefore.totalEncodeTime) / encoded) * 1000 : NaN,
        sentKbps: ((outAfter.bytesSent - outBefore.bytesSent) * 8) / seconds / 1000,
        targetKbps: kbps(outAfter.targetBitrate),
        availableKbps: kbps(outAfter.availableOutgoingBitrate),
        rttMs: outAfter.roundTripTime === undefined ? undefined : outAfter.roundTripTime * 1000,
        limitation: outAfter.qualityLimitationReason,
        width: inAfter.frameWidth,
        nacks: outAfter.nackCount - outBefore.nackCount,
        plis: outAfter.pliCount - outBefore.pliCount,
        jitterBufferMs:
          emitted > 0 ? ((inAfter.jitterBufferDelay - inBefore.jitterBufferDelay) / emitted) * 1000 : NaN,
        processingMs:
          decoded > 0
            ? ((inAfter.totalProcessingDelay - inBefore.totalProcessingDelay) / decoded) * 1000
            : NaN,
        feedbackIntervalsMs: feedbackIntervals(feedback),
        sfu: health,
        feedbackCovered: feedback.reduce((a, e) => a + e.count, 0),
        feedbackLost: feedback.reduce((a, e) => a + e.lost, 0),
        load: load(),
      };
    } finally {
      await Promise.all([...this.#contexts].map((c) => c.close().catch(() => undefined)));
      this.#contexts.clear();
    }
  }
}

/** Gaps between consecutive feedback packets of each responder (the round's sender is the only browser sending). */
function feedbackIntervals(log: readonly FeedbackRecord[]): number[] {
  const last = new Map<number, number>();
  const gaps: number[] = [];
  for (const entry of log) {
    const previous = last.get(entry.responder);
    if (previous !== undefined) gaps.push(entry.at - previous);
    last.set(entry.responder, entry.at);
  }
  return gaps;
}

async function viewerToken(room: string): Promise<string> {
  return createCallToken({
    secret: TEST_TOKEN_SECRET,
    room,
    userId: `viewer-${randomUUID()}`,
    name: 'Viewer',
    canPublish: false,
    canSubscribe: true,
  });
}

async function until(page: Page, what: string, test: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await test().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out: ${what} (${page.url()})`);
}

// ---- reporting ----

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const f = (value: number | undefined, digits = 1) =>
  value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);

function report(rounds: Round[]): void {
  console.log('');
  console.log(
    'Glass to glass, ms: per frame over all rounds (median, p90, mean); presented also as the median of per-round medians.',
  );
  for (const condition of CONDITIONS) {
    console.log(
      `\n${condition}${condition === 'busy' ? ` (receiving page shows ${BUSY_TILES} more tiles)` : ''}:`,
    );
    console.log(
      `${'path'.padEnd(8)}${'rounds'.padStart(7)}${'frames'.padStart(8)}${'draw→receive p50/p90/mean'.padStart(28)}` +
        `${'+vs direct'.padStart(11)}${'draw→present p50/p90/mean'.padStart(28)}${'round p50s'.padStart(11)}` +
        `${'+vs direct'.padStart(11)}`,
    );
    const of = (path: Path) => rounds.filter((r) => r.path === path && r.condition === condition);
    const all = (path: Path, key: 'drawToReceive' | 'drawToPresent') => of(path).flatMap((r) => r[key]);
    const roundMedians = (path: Path) => of(path).map((r) => median(r.drawToPresent));
    const directReceive = median(all('direct', 'drawToReceive'));
    const directPresent = median(roundMedians('direct'));
    for (const path of PATHS) {
      const receive = all(path, 'drawToReceive');
      const present = all(path, 'drawToPresent');
      const delta = (value: number, base: number) =>
        path === 'direct' ? '' : `${value - base >= 0 ? '+' : ''}${f(value - base)}`;
      console.log(
        `${path.padEnd(8)}${String(of(path).length).padStart(7)}${String(receive.length).padStart(8)}` +
          `${`${f(median(receive))} / ${f(percentile(receive, 90))} / ${f(mean(receive))}`.padStart(28)}` +
          `${delta(median(receive), directReceive).padStart(11)}` +
          `${`${f(median(present))} / ${f(percentile(present, 90))} / ${f(mean(present))}`.padStart(28)}` +
          `${f(median(roundMedians(path))).padStart(11)}${delta(median(roundMedians(path)), directPresent).padStart(11)}`,
      );
    }
    console.log('  sender and receiver, median over rounds:');
    for (const path of PATHS) {
      const m = (pick: (r: Round) => number | undefined) =>
        median(
          of(path)
            .map(pick)
            .filter((v): v is number => v !== undefined && Number.isFinite(v)),
        );
      const gaps = of(path).flatMap((r) => r.feedbackIntervalsMs);
      const limits = [...new Set(of(path).map((r) => r.limitation))].join('/');
      console.log(
        `  ${path.padEnd(7)} packet send delay ${f(
          m((r) => r.sendDelayMs),
          2,
        )} ms (max round ${f(
          Math.max(
            ...of(path)
              .map((r) => r.sendDelayMs)
              .filter(Number.isFinite),
          ),
          1,
        )}), ` +
          `encode ${f(m((r) => r.encodeMs))} ms, sent ${f(
            m((r) => r.sentKbps),
            0,
          )} kbps, target ${f(
            m((r) => r.targetKbps),
            0,
          )} kbps, ` +
          `available ${f(
            m((r) => r.availableKbps),
            0,
          )} kbps, rtt ${f(m((r) => r.rttMs))} ms, limitation ${limits}, ` +
          `jitter buffer ${f(m((r) => r.jitterBufferMs))} ms, processing ${f(m((r) => r.processingMs))} ms, ` +
          `nack ${of(path).reduce((a, r) => a + r.nacks, 0)}, pli ${of(path).reduce((a, r) => a + r.plis, 0)}, ` +
          `read ${of(path).reduce((a, r) => a + r.framesRead, 0)}/${of(path).reduce((a, r) => a + r.framesDrawn, 0)} frames, ` +
          `checksum failures ${of(path).reduce((a, r) => a + r.checksumFailures, 0)}` +
          (gaps.length
            ? `; SFU transport-cc feedback every ${f(median(gaps))} ms (p90 ${f(percentile(gaps, 90))}, max ${f(Math.max(...gaps))}), ` +
              `reporting ${of(path).reduce((a, r) => a + r.feedbackLost, 0)} of ${of(path).reduce((a, r) => a + r.feedbackCovered, 0)} packets as not received`
            : ''),
      );
    }
    const sfuRounds = rounds
      .filter((r) => r.condition === condition && r.path !== 'direct')
      .map((r) => r.sfu);
    if (sfuRounds.length)
      console.log(
        `  SFU process during the SFU rounds (median): CPU ${f(median(sfuRounds.map((h) => h.cpuMsPerSecond)), 0)} ms/s, ` +
          `event-loop delay p50 ${f(median(sfuRounds.map((h) => h.loopDelayP50)))} ms, p99 ${f(median(sfuRounds.map((h) => h.loopDelayP99)))} ms, ` +
          `max ${f(Math.max(...sfuRounds.map((h) => h.loopDelayMax)))} ms`,
      );
    const verdicts = PATHS.filter((p) => p !== 'direct').map((path) => {
      const added = median(all(path, 'drawToReceive')) - directReceive;
      return `${path} ${added >= 0 ? '+' : ''}${f(added)} ms ${added <= GOAL_MS ? 'PASS' : 'FAIL'}`;
    });
    console.log(
      `  goal: SFU path adds ≤ ${GOAL_MS} ms to direct (median draw→receive): ${verdicts.join(', ')}`,
    );
  }
  console.log(
    `\nsetup: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, ` +
      `${isInsidePrivateNetwork(NETNS_MARKER) ? 'private namespace, lo only' : 'host namespace'}; canvas 320×240 @ 15 fps, VP8, video only; ` +
      `${ROUND_MS / 1000} s rounds after ${WARMUP_MS / 1000} s warm-up; load average (1 min) per round ${rounds.map((r) => r.load.split(' ')[0]).join(' ')}; now ${load()}`,
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
  const base = `g2g-${randomUUID().slice(0, 8)}`;
  const rooms: Rooms = { busy: { widget: `${base}-busy-widget`, bare: `${base}-busy-bare` } };
  try {
    console.log(
      `g2g bench: paths ${PATHS.join(', ')}; conditions ${CONDITIONS.join(', ')}; ${ROUNDS} rounds of ${ROUND_MS / 1000} s each, ` +
        `interleaved; Chromium ${browser.version()}; load average ${load()}`,
    );
    if (CONDITIONS.includes('busy')) {
      const clip = await recordVp8Clip(browser, stack.url);
      for (const room of Object.values(rooms.busy)) {
        for (let i = 0; i < BUSY_TILES; i++) {
          const token = await createCallToken({
            secret: TEST_TOKEN_SECRET,
            room,
            userId: `tile-${i}`,
            name: `Tile ${i + 1}`,
            canPublish: true,
          });
          publishers.push(await Vp8ClipPublisher.publish(`${stack.url}/whip/${room}`, token, clip));
        }
      }
    }
    const bench = new G2gBench(browser, stack, pages, rooms);
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const condition of CONDITIONS) {
        const order = round % 2 === 0 ? PATHS : [...PATHS].reverse();
        const line: string[] = [];
        for (const path of order) {
          try {
            const result = await bench.run(path, condition, round);
            rounds.push(result);
            line.push(
              `${path} ${f(median(result.drawToReceive))}/${f(median(result.drawToPresent))} ms (send delay ${f(result.sendDelayMs, 1)})`,
            );
          } catch (error) {
            line.push(`${path} failed: ${(error as Error).message}`);
          }
        }
        console.log(
          `round ${round + 1} ${condition} (load ${load()}): draw→receive/present ${line.join(', ')}`,
        );
      }
    }
    if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify(rounds, null, 1));
    report(rounds);
  } finally {
    await Promise.all(publishers.map((p) => p.stop().catch(() => undefined)));
    await browser.close().catch(() => undefined);
    await stack.close().catch(() => undefined);
    await pages.dispose();
  }
}

if (!reexecInPrivateNetwork(NETNS_MARKER)) await main();
