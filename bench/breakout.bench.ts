// `npm run bench -- breakout`: how long a breakout move takes to show the new room's video, against a fresh
// join of the same room, in one run. Two publisher pages (<call-room>, fake camera): Ana stays in the main
// room, Ben is put in breakout room 1. A third page, a host, moves itself between the two rooms (ten moves): from its
// `assign` call to the first frame (rVFC `expectedDisplayTime`) of the other room's publisher, on the same
// PeerConnection. Interleaved with each move, a fresh page clicks Join in the main room: from the click to
// Ana's first frame. Prints median and p90 of both, and their ratio (goal: a move ≤ half a fresh join), then
// where a move's time goes: the median time of each phase since the `assign` call, from the moving page (its
// presence messages, SFU requests, remote track, first frame; bench/support/move-probe.ts) and from the local
// SFU in this process (forwarder, keyframe request, first packet; bench/support/sfu-timeline.ts).
//
// Env: BREAKOUT_BENCH_ROUNDS (default 10), BREAKOUT_BENCH_NETNS=0 (don't re-exec in a private network namespace).
import { cpus, loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { isInsidePrivateNetwork } from '../.ci/netns.mjs';
import { reexecInPrivateNetwork } from './support/private-network.js';
import { readDevStackConfig } from '../server/node/config.js';
import { startDevStack, type DevStack } from '../server/node/dev-stack.js';
import { launchChromium } from '../test/support/browser.js';
import { assertBuilt, repoRoot } from '../test/support/bundle-page.js';
import { chromiumArgs } from '../test/support/chromium-flags.mjs';
import { bundle } from './support/join-pages.js';
import type { InboundVideo, MoveEvent } from './support/move-probe.js';
import { median, percentile } from './support/percentile.js';
import { untilInPage } from './support/page-until.js';
import { recordSfuTimeline, type SfuEvent } from './support/sfu-timeline.js';

const ROUNDS = Math.max(1, Number(process.env.BREAKOUT_BENCH_ROUNDS) || 10);
const NETNS_MARKER = 'BREAKOUT_BENCH_NETNS';
const GOAL_RATIO = 0.5;
const STEP_TIMEOUT_MS = 20_000;
/** BREAKOUT_BENCH_DUMP=1: print every event of each move, in order. */
const DUMP = process.env.BREAKOUT_BENCH_DUMP === '1';

// In-page scripts are strings: tsx would wrap named functions in a helper the page doesn't have.
/** Resolves with the first frame of `name`'s camera after `t0`, as ms since `t0` (rVFC expectedDisplayTime). */
const FIRST_FRAME_OF = `(name, t0, timeoutMs) => new Promise((resolve, reject) => {
  const room = document.querySelector('call-room');
  const poll = () => {
    const tile = [...room.shadowRoot.querySelectorAll('video-tile')].find((t) => t.participant?.name === name);
    const video = tile?.shadowRoot?.querySelector('video');
    if (video && video.srcObject) {
      video.requestVideoFrameCallback((now, meta) => resolve(meta.expectedDisplayTime - t0));
      setTimeout(() => reject(new Error('no frame of ' + name + ' in its tile')), timeoutMs);
      return;
    }
    if (performance.now() - t0 > timeoutMs) {
      let view;
      room.breakouts.view$.subscribe((v) => (view = v)).unsubscribe();
      const seen = room.participants.map((p) => p.name + ':' + p.cameraOn + ':' + Object.keys(p.video));
      seen.push(JSON.stringify(view && { phase: view.phase, current: view.current, people: view.people }));
      reject(new Error('no frame of ' + name + '; participants ' + seen.join(', ')));
    }
    else setTimeout(poll, 2);
  };
  poll();
})`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const until = (page: Page, what: string, test: string) => untilInPage(page, what, test, STEP_TIMEOUT_MS);

/** A fresh context's demo page, joined as `name` (a host with `?role=host`). */
async function joinedPage(
  browser: Browser,
  stack: DevStack,
  name: string,
  options: { host?: boolean; probe?: string } = {},
): Promise<Page> {
  const { host = false, probe } = options;
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  if (probe) await context.addInitScript({ content: probe });
  const page = await context.newPage();
  await page.goto(`${stack.url}/`);
  if (host) {
    await page.evaluate(
      "document.querySelector('call-room').setAttribute('token-endpoint', '/api/call-token?role=host')",
    );
  }
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join now' }).click();
  await until(page, `${name} joined`, "document.querySelector('call-room').state === 'joined'");
  return page;
}

const idOf = (page: Page, name: string) =>
  page.evaluate(
    `document.querySelector('call-room').participants.find((p) => p.name === ${JSON.stringify(name)})?.id`,
  ) as Promise<string | undefined>;

interface MoveSample {
  /** From the `assign` call to the first frame, ms. */
  readonly ms: number;
  /** The first time of each phase, ms since the `assign` call. */
  readonly phases: ReadonlyMap<string, number>;
  readonly inbound?: InboundVideo;
  /** Main-thread tasks over 50 ms on the moving page during the move: how many, and their total time. */
  readonly longTasks: number;
  readonly longTaskMs: number;
}

/** The host page moves itself, and times the first frame of the publisher in the room it reaches. */
async function move(
  mover: Page,
  selfId: string,
  to: string,
  publisher: string,
  sfu: readonly SfuEvent[],
): Promise<MoveSample> {
  const { t0, origin, ms } = (await mover.evaluate(
    `(async () => {
      const t0 = performance.now();
      document.querySelector('call-room').breakouts.assign(${JSON.stringify(selfId)}, ${JSON.stringify(to)});
      const ms = await (${FIRST_FRAME_OF})(${JSON.stringify(publisher)}, t0, ${STEP_TIMEOUT_MS});
      return { t0, origin: performance.timeOrigin, ms };
    })()`,
  )) as { t0: number; origin: number; ms: number };
  const [events, inbound, moverSession] = (await mover.evaluate(
    `(async () => {
      const room = document.querySelector('call-room');
      const tile = [...room.shadowRoot.querySelectorAll('video-tile')]
        .find((t) => t.participant?.name === ${JSON.stringify(publisher)});
      const video = tile?.shadowRoot?.querySelector('video');
      const probe = window.__moveProbe;
      return [probe.since(${t0}), video && (await probe.inboundVideo(video)), probe.sessionId];
    })()`,
  )) as [MoveEvent[], InboundVideo | undefined, string | undefined];
  const phases = new Map<string, number>();
  if (DUMP) {
    const all = [
      ...events.map((e) => ({ at: e.at - t0, what: e.what })),
      ...sfu.map((e) => ({
        at: e.at - (origin + t0),
        what: `SFU: ${e.what} ${e.sessionId === moverSession ? 'mover' : e.sessionId.slice(0, 6)}${e.trackName ? ` ${e.trackName.slice(0, 6)}` : ''}`,
      })),
    ].filter((e) => e.at >= 0 && e.at <= ms);
    all.sort((a, b) => a.at - b.at);
    console.log(all.map((e) => `  ${e.at.toFixed(0).padStart(6)} ${e.what}`).join('\n'));
  }
  const first = (what: string, at: number) => {
    if (at >= 0 && at <= ms && !phases.has(what)) phases.set(what, at);
  };
  for (const e of events) first(e.what.startsWith('long task') ? 'long task (> 50 ms)' : e.what, e.at - t0);
  // The SFU stamps wall-clock time: on the page's clock, that is `timeOrigin + performance.now()`. Only the
  // moving page's requests and new pulls count, not the others' pulls of its camera.
  for (const e of sfu) {
    if (e.sessionId === '-') continue; // process-wide (event-loop hold-ups): the dump shows them
    const ours = e.trackName === undefined ? e.sessionId === moverSession : e.sessionId !== moverSession;
    if (ours) first(`SFU: ${e.what}`, e.at - (origin + t0));
  }
  const longTasks = events.filter((e) => e.what.startsWith('long task') && e.at - t0 <= ms);
  phases.set('first frame', ms);
  const longTaskMs = longTasks.reduce(
    (sum, e) => sum + Number.parseFloat(e.what.slice('long task '.length)),
    0,
  );
  return { ms, phases, inbound, longTasks: longTasks.length, longTaskMs };
}

/** A new page clicks Join in the main room: from the click to Ana's first frame. */
async function freshJoin(browser: Browser, stack: DevStack, round: number): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  try {
    const page = await context.newPage();
    await page.goto(`${stack.url}/`);
    await page.getByLabel('Your name').fill(`Joiner ${round}`);
    const join = page.getByRole('button', { name: 'Join now' });
    await join.waitFor();
    await sleep(300);
    await page.evaluate(
      "addEventListener('click', (e) => (window.__t0 = e.timeStamp), { capture: true, once: true })",
    );
    await join.click();
    return (await page.evaluate(
      `(async () => {
        while (window.__t0 === undefined) await new Promise((r) => setTimeout(r, 1));
        return (${FIRST_FRAME_OF})('Ana', window.__t0, ${STEP_TIMEOUT_MS});
      })()`,
    )) as number;
  } finally {
    await context.close();
  }
}

function row(label: string, values: readonly number[]): string {
  const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : '-').padStart(8);
  return (
    `${label.padEnd(28)}${String(values.length).padStart(3)}${fmt(median(values))}${fmt(percentile(values, 90))}` +
    `${fmt(Math.min(...values))}${fmt(Math.max(...values))}`
  );
}

/** The median time of each phase of a move (ms since the `assign` call), in order, and what the new pull cost. */
function printPhases(moves: readonly MoveSample[]): void {
  const names = new Set(moves.flatMap((m) => [...m.phases.keys()]));
  const phases = [...names].map((name) => {
    const at = moves.flatMap((m) => (m.phases.has(name) ? [m.phases.get(name) as number] : []));
    return { name, at, median: median(at) };
  });
  phases.sort((a, b) => a.median - b.median);
  console.log('Where a move’s time goes: each phase’s first time since the assign call, ms');
  console.log(
    `${'phase'.padEnd(40)}${'n'.padStart(3)}${'median'.padStart(8)}${'p90'.padStart(8)}${'step'.padStart(8)}`,
  );
  let previous = 0;
  for (const { name, at, median: m } of phases) {
    const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : '-').padStart(8);
    console.log(
      `${name.padEnd(40)}${String(at.length).padStart(3)}${fmt(m)}${fmt(percentile(at, 90))}${fmt(m - previous)}`,
    );
    previous = m;
  }
  const sum = (pick: (i: InboundVideo) => number | undefined) =>
    moves.map((m) => (m.inbound ? (pick(m.inbound) ?? 0) : NaN)).filter(Number.isFinite);
  const counts = (values: number[]) => `median ${median(values).toFixed(0)}, max ${Math.max(...values)}`;
  console.log(
    `new pull at its first frame: PLI sent ${counts(sum((i) => i.pliCount))}; FIR ${counts(sum((i) => i.firCount))}; ` +
      `NACK ${counts(sum((i) => i.nackCount))}; keyframes decoded ${counts(sum((i) => i.keyFramesDecoded))}`,
  );
  const tasks = moves.map((m) => m.longTaskMs);
  console.log(
    `moving page's main-thread tasks over 50 ms during a move: ${counts(moves.map((m) => m.longTasks))}; ` +
      `their total ms ${counts(tasks.map(Math.round))}`,
  );
}

async function main(): Promise<void> {
  assertBuilt();
  const loadAtStart = loadavg()[0] ?? 0;
  if (loadAtStart > cpus().length) {
    console.log(
      `note: load average ${loadAtStart.toFixed(1)} on ${cpus().length} CPUs; expect noisy figures`,
    );
  }
  const sfu = recordSfuTimeline();
  const probe = await bundle('bench/support/move-probe.ts', 'iife');
  let stack: DevStack | undefined;
  let browser: Browser | undefined;
  try {
    stack = await startDevStack(readDevStackConfig({ PORT: '0' }), {
      staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
    });
    browser = await launchChromium({
      args: [
        ...chromiumArgs,
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
      ],
    });
    const network = isInsidePrivateNetwork(NETNS_MARKER) ? 'private namespace, lo only' : 'host namespace';
    console.log(
      `breakout bench: ${ROUNDS} moves and ${ROUNDS} fresh joins, interleaved (+1 warm-up); ${network}`,
    );

    const ana = await joinedPage(browser, stack, 'Ana');
    const ben = await joinedPage(browser, stack, 'Ben');
    const mover = await joinedPage(browser, stack, 'Host', { host: true, probe });
    const [selfId, benId] = [await idOf(mover, 'Host'), await idOf(mover, 'Ben')];
    if (!selfId || !benId) throw new Error('the host page does not list itself and Ben');
    await mover.evaluate(
      `(() => {
        const b = document.querySelector('call-room').breakouts;
        b.create(['Room 1']);
        setTimeout(() => { b.assign(${JSON.stringify(benId)}, 'room-1'); b.open(0); }, 200);
      })()`,
    );
    await until(ben, 'Ben in room 1', "document.querySelector('call-room').participants.length === 1");
    await until(
      mover,
      'the host sees Ana',
      `(${FIRST_FRAME_OF})('Ana', performance.now(), 20000).then(() => true)`,
    );

    const moves: MoveSample[] = [];
    const joins: number[] = [];
    const failures: string[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      // Each round: one move (into room 1 to Ben's video, or back to Ana's), then a fresh join of the main room.
      const [to, publisher] = round % 2 === 0 ? ['room-1', 'Ben'] : ['main', 'Ana'];
      const label = round === 0 ? 'warm-up' : `round ${round}`;
      const moved = await move(mover, selfId, to, publisher, sfu.events);
      await sleep(500);
      // A fresh join that shows nothing in time is reported and left out, rather than ending the run.
      const joined = await freshJoin(browser, stack, round).catch((error: unknown) => {
        failures.push(`${label}: fresh join: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      await sleep(500); // the fresh joiner's departure reaches everyone before the next move
      const joinedText = joined === undefined ? 'failed' : `${joined.toFixed(0)} ms`;
      console.log(`${label}: move to ${to} ${moved.ms.toFixed(0)} ms; fresh join ${joinedText}`);
      if (round === 0) continue;
      moves.push(moved);
      if (joined !== undefined) joins.push(joined);
    }
    await ana.close();

    console.log('');
    console.log('Time to the new room’s first frame, ms');
    console.log(
      `${'case'.padEnd(28)}${'n'.padStart(3)}${'median'.padStart(8)}${'p90'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}`,
    );
    console.log(
      row(
        'breakout move (same PC)',
        moves.map((m) => m.ms),
      ),
    );
    console.log(row('fresh join (new PC)', joins));
    const moveMs = moves.map((m) => m.ms);
    const ratio = median(moveMs) / median(joins);
    const ratioP90 = percentile(moveMs, 90) / percentile(joins, 90);
    console.log(`move / fresh join: median ${ratio.toFixed(2)}×, p90 ${ratioP90.toFixed(2)}×`);
    console.log(
      `${ratio <= GOAL_RATIO ? 'PASS' : 'FAIL'}: a move takes at most ${GOAL_RATIO}× a fresh join (median)`,
    );
    for (const failure of failures) console.log(`failed: ${failure}`);
    console.log('');
    printPhases(moves);
    console.log('');
    const load = `load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]?.toFixed(1)} at the end`;
    console.log(`Chromium ${browser.version()}; ${load}, on ${cpus().length} CPUs`);
  } finally {
    await browser?.close().catch(() => undefined);
    await stack?.close().catch(() => undefined);
    sfu.dispose();
  }
}

if (!reexecInPrivateNetwork(NETNS_MARKER)) await main();
