// Leaks: one page leaves and joins again 200 times (FAULT_LEAK_CYCLES for another count) while another page
// stays in the room; a cycle takes about 0.5 s on an idle 2-core machine, so the test timeout of
// `npm run test:faults` (10 min) leaves room for a loaded one. Afterwards nothing may have piled up: no extra SFU
// sessions, m-lines, forwarders or timers; neither server's heap (each in its own process) more than 10 % above
// what it held after the first cycles; no more live RTCPeerConnections in the page; no growing Cookie header on the proxy
// requests (one lock cookie per dead session once pushed it past 15 KB and into 431s); and the last cycles
// as fast as the first (every offer carries every dead m-line when none is recycled).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { callRoomProbe, waitForRoom } from '../support/call-room-probe.js';
import { assertRecovered, livePeerConnections, startCall, type Participant } from '../support/fault-call.js';
import type { SfuSample } from '../support/fault-stack.js';
import { startFaultStack, type FaultStack } from '../support/fault-stack.js';

const CYCLES = Number(process.env.FAULT_LEAK_CYCLES ?? 200);
/** Cycles compared at the start and the end. */
const WINDOW = Math.min(20, Math.floor(CYCLES / 4));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

type RoomElement = HTMLElement & { join(): Promise<void>; leave(): Promise<void> };

/**
 * Cycles before the heaps' baseline: the first joins fill what is meant to stay (compiled and optimised code, which
 * is most of the growth in a heap snapshot's diff, and lazily built parts of each server); what grows after is a leak.
 */
const WARMUP = WINDOW;
/** "A flat server heap": after GC, within this much of the baseline. */
const HEAP_GROWTH_LIMIT = 0.1;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const growthOf = (after: number, before: number) => after / before - 1;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

describe(`leaks: ${CYCLES} leave/join cycles of one page in a running room`, () => {
  let stack: FaultStack;
  let browser: Browser;
  let stayer: Participant;
  let cycler: Participant;
  let before_: SfuSample | undefined;
  let connectionsBefore = 0;
  /** Heaps after GC once the warm-up cycles ran. */
  let heapsBefore: { sfu: number; callServer: number } | undefined;
  /** The Cookie header's length on each proxy request of the cycling page, in order. */
  const cookieLengths: number[] = [];
  /** Milliseconds from leave() to playing the other page's video again, per cycle. */
  const cycleMs: number[] = [];

  before(async () => {
    stack = await startFaultStack();
    browser = await launchChromium();
    [stayer, cycler] = await startCall(browser, stack.url, ['Ada', 'Brook']);
    cycler.page.on('request', (request) => {
      if (!request.url().includes('/partytracks/')) return;
      void request
        .allHeaders()
        .then((headers) => cookieLengths.push(headers.cookie?.length ?? 0))
        .catch(() => undefined);
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the call of two is healthy before the cycles', async () => {
    before_ = (await assertRecovered([stayer, cycler], stack.sfu)).sfu;
    connectionsBefore = await livePeerConnections(cycler);
    assert.equal(connectionsBefore, 1, 'the cycling page holds one live peer connection');
  });

  it(`survives ${CYCLES} cycles, each ending with the other page's video playing`, async (t) => {
    const started = Date.now();
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const cycleStart = Date.now();
      await cycler.page.evaluate(() => (document.querySelector('call-room') as RoomElement).leave());
      await waitForRoom(cycler.page, (s) => s.state === 'left', `cycle ${cycle}: left`, 10_000);
      await cycler.page.evaluate(() => (document.querySelector('call-room') as RoomElement).join());
      try {
        await waitForRoom(
          cycler.page,
          (s) =>
            s.state === 'joined' &&
            s.remote.length === 1 &&
            s.remote[0].videoWidth > 0 &&
            s.remote[0].frames > 0 &&
            !s.remote[0].trackMuted,
          'x',
          20_000,
        );
      } catch {
        const last = await cycler.page.evaluate(callRoomProbe);
        assert.fail(
          `cycle ${cycle} of ${CYCLES} did not play the other page's video within 20 s ` +
            `(Cookie header ${cookieLengths.at(-1)} bytes; SFU ${JSON.stringify(await stack.sfu.stats())}): ` +
            JSON.stringify(last),
        );
      }
      cycleMs.push(Date.now() - cycleStart);
      if (cycle === WARMUP) {
        heapsBefore = {
          sfu: (await stack.sfu.stats()).heapUsed,
          callServer: await stack.callServer.heapUsed(),
        };
      }
    }
    const total = Date.now() - started;
    t.diagnostic(
      `${CYCLES} cycles in ${total} ms (${Math.round(total / CYCLES)} ms each); median of the first ${WINDOW} ` +
        `${median(cycleMs.slice(0, WINDOW))} ms, of the last ${WINDOW} ${median(cycleMs.slice(-WINDOW))} ms`,
    );
  });

  it('the last cycles are about as fast as the first', () => {
    assert.equal(cycleMs.length, CYCLES, `timings of every cycle (only ${cycleMs.length} of ${CYCLES} ran)`);
    const first = median(cycleMs.slice(0, WINDOW));
    const last = median(cycleMs.slice(-WINDOW));
    assert.ok(
      last < 2 * first + 500,
      `median of the last ${WINDOW} cycles ${last} ms, of the first ${first} ms`,
    );
  });

  it('the Cookie header stays small', (t) => {
    const largest = Math.max(...cookieLengths);
    t.diagnostic(
      `Cookie header: first ${cookieLengths[0]} bytes, last ${cookieLengths.at(-1)}, largest ${largest}`,
    );
    // One or two live sessions' lock cookies are a few hundred bytes; one per dead session grows without bound.
    assert.ok(largest <= 2048, `the Cookie header reached ${largest} bytes`);
  });

  it('the page holds no more live peer connections than before', async () => {
    assert.ok(
      (await livePeerConnections(cycler)) <= connectionsBefore,
      `live peer connections: ${await livePeerConnections(cycler)}, before the cycles ${connectionsBefore}`,
    );
  });

  it('the call is healthy and the SFU holds no more than before', async (t) => {
    assert.ok(before_, 'the SFU counts before the cycles');
    // One spare pair per session at most (see healthySfuCounts): the cycles must not add m-lines beyond it.
    const maxTransceivers = before_.transceivers + 2 * before_.sessions;
    const recovery = await assertRecovered([stayer, cycler], stack.sfu, { maxTransceivers });
    const after_ = recovery.sfu!;
    t.diagnostic(`SFU before ${JSON.stringify(before_)}, after ${JSON.stringify(after_)}`);
    assert.ok(after_.timers <= before_.timers, `SFU timers: ${after_.timers}, before ${before_.timers}`);
    assert.ok(heapsBefore, `the heaps after ${WARMUP} cycles`);
    const heapsAfter = { sfu: after_.heapUsed, callServer: await stack.callServer.heapUsed() };
    const growth = {
      sfu: growthOf(heapsAfter.sfu, heapsBefore.sfu),
      callServer: growthOf(heapsAfter.callServer, heapsBefore.callServer),
    };
    t.diagnostic(
      `heap after GC, from cycle ${WARMUP} to the end: SFU ${mib(heapsBefore.sfu)} → ${mib(heapsAfter.sfu)} ` +
        `(${percent(growth.sfu)}), call server ${mib(heapsBefore.callServer)} → ${mib(heapsAfter.callServer)} ` +
        `(${percent(growth.callServer)})`,
    );
    assert.ok(growth.sfu <= HEAP_GROWTH_LIMIT, `the SFU's heap grew ${percent(growth.sfu)}`);
    assert.ok(
      growth.callServer <= HEAP_GROWTH_LIMIT,
      `the call server's heap grew ${percent(growth.callServer)}`,
    );
  });
});
