// `npm run bench -- soak`: a six-participant room kept busy for SOAK_MINUTES (default 30), the soak of the
// reliability issue. Three Chromium pages run the widget; three synthetic werift participants join presence and
// publish a camera each, so the SFU forwards for six without six browsers on a 2-core machine. Meanwhile:
//   every 20 s  one page toggles its microphone;
//   every 3 min one page shares its screen for 30 s;
//   every 5 min one page leaves and rejoins (a reload, as a user would);
//   every 10 min one page's media is blackholed for 15 s (tc, in the private network namespace).
// After each rejoin and blackhole the three pages must show each other playing again within 45 s.
// Every minute it prints frames decoded per page, freezes, and the memory of the call server's process and the
// SFU's; at the end, each figure against the first minute of the same run, and everything lost.
//
// Env: SOAK_MINUTES (default 30), SOAK_BENCH_NETNS=0 (don't re-exec in a private network namespace; then no
// blackholes).
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { isInsidePrivateNetwork, rerunInPrivateNetwork } from '../.ci/netns.mjs';
import { PROTOCOL_VERSION as v } from '../src/protocol/version.js';
import { launchChromium } from '../test/support/browser.js';
import { joinFromPrejoin, waitForRoom } from '../test/support/call-room-probe.js';
import {
  pressControl,
  recorded,
  sfuPortsOf,
  startCall,
  tally,
  type Participant,
} from '../test/support/fault-call.js';
import { UdpBlackhole } from '../test/support/fault-network.js';
import { startFaultStack, type FaultStack } from '../test/support/fault-stack.js';
import { PresenceTestClient } from '../test/support/presence-test-client.js';
import { SyntheticPublisher } from '../test/support/werift-peers.js';
import { median } from './support/percentile.js';

const MINUTES = Math.max(1, Number(process.env.SOAK_MINUTES) || 30);
const NETNS_MARKER = 'SOAK_BENCH_NETNS';
const RECOVERY_MS = 45_000;

interface Synthetic {
  presence: PresenceTestClient;
  publisher: SyntheticPublisher;
}

interface Minute {
  minute: number;
  /** Remote frames each page decoded from the other pages this minute. */
  frames: number[];
  freezes: number;
  serverHeapMiB: number;
  sfuHeapMiB: number;
  sfuSessions: number;
  load: number;
}

/** The three pages' names, whose cameras each recovery waits for. */
let realNames: string[] = [];

/**
 * Video frames the page decoded, per inbound video stream (keyed by its stats id), and the freezes Chrome counted on
 * them. Counted from the peer connections' stats rather than the `<video>` elements, whose counters start again
 * whenever a relayout makes a new element. The synthetic participants' payloads don't decode, so these are the real
 * pages' frames.
 */
function pageCounters(page: Page): Promise<{ frames: Record<string, number>; freezes: number }> {
  return page.evaluate(async () => {
    const frames: Record<string, number> = {};
    let freezes = 0;
    const pcs = (window as unknown as { faultPeerConnections: WeakRef<RTCPeerConnection>[] })
      .faultPeerConnections;
    for (const pc of pcs.map((ref) => ref.deref())) {
      if (!pc || pc.connectionState === 'closed') continue;
      for (const stat of (await pc.getStats()).values() as IterableIterator<Record<string, unknown>>) {
        if (stat.type !== 'inbound-rtp' || stat.kind !== 'video') continue;
        frames[String(stat.id)] = Number(stat.framesDecoded ?? 0);
        freezes += Number(stat.freezeCount ?? 0);
      }
    }
    return { frames, freezes };
  });
}

/** Counters only grow within one page load: a rejoin starts them again, so a drop counts from zero. */
function growth(now: number, before: number | undefined): number {
  return before === undefined || now < before ? now : now - before;
}

async function joinSynthetic(stack: FaultStack, name: string): Promise<Synthetic> {
  const response = await fetch(`${stack.url}/api/call-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.url },
    body: JSON.stringify({ room: 'standup', name }),
  });
  const { token } = (await response.json()) as { token: string };
  const presence = await PresenceTestClient.join(stack.url, 'standup', stack.url, token);
  const publisher = await SyntheticPublisher.create(
    { base: `${stack.url}/partytracks`, headers: { authorization: `Bearer ${token}` }, cookies: new Map() },
    400,
  );
  publisher.start(15);
  const { sessionId, trackName } = publisher;
  presence.send({ v, type: 'publish', track: { sessionId, trackName, kind: 'video', source: 'camera' } });
  presence.send({ v, type: 'update-state', state: { cameraOn: true, micOn: false } });
  return { presence, publisher };
}

/** Until every page shows the other two pages' cameras playing, unmuted; the milliseconds it took, or undefined. */
async function recovery(pages: readonly Participant[]): Promise<number | undefined> {
  const started = Date.now();
  const results = await Promise.all(
    pages.map((p) => {
      const others = realNames.filter((n) => n !== p.name);
      return waitForRoom(
        p.page,
        (s) =>
          s.state === 'joined' &&
          others.every(
            (name) =>
              s.remote.filter((t) => t.name === name && t.source === 'camera').length === 1 &&
              s.remote.some((t) => t.name === name && t.videoWidth > 0 && t.frames > 0 && !t.trackMuted),
          ),
        `${p.name} shows ${others.join(' and ')}`,
        RECOVERY_MS,
      ).then(
        () => true,
        () => false,
      );
    }),
  );
  return results.every(Boolean) ? Date.now() - started : undefined;
}

/** A page leaves and joins again, as a user reloading the tab; what its page recorded so far is kept. */
async function rejoin(participant: Participant, carried: { rejections: string[]; fatal: string[] }) {
  const before = await recorded(participant);
  carried.rejections.push(...before.rejections);
  carried.fatal.push(
    ...before.callErrors.filter((e) => !e.recoverable).map((e) => `${participant.name}: ${e.code}`),
  );
  await participant.page.reload();
  await joinFromPrejoin(participant.page, participant.name);
}

async function soak(): Promise<void> {
  const inNamespace = isInsidePrivateNetwork(NETNS_MARKER);
  console.log(
    `soak: ${MINUTES} min, six participants (3 pages + 3 synthetic), ${inNamespace ? 'private namespace' : 'host namespace, no blackholes'}`,
  );
  const stack = await startFaultStack();
  const browser = await launchChromium();
  const pages = await startCall(browser, stack.url);
  realNames = pages.map((p) => p.name);
  const synthetic = [];
  for (const name of ['Dee', 'Eli', 'Fox']) synthetic.push(await joinSynthetic(stack, name));
  const first = await recovery(pages);
  if (first === undefined) throw new Error('the call of three never showed everyone: nothing to soak');

  const minutes: Minute[] = [];
  const recoveries: { what: string; ms: number | undefined }[] = [];
  const carried = { rejections: [] as string[], fatal: [] as string[] };
  const lastFrames = new Map<string, Record<string, number>>();
  const lastFreezes = new Map<string, number>();
  let turn = 0;
  const next = () => pages[turn++ % pages.length]!;

  const sample = async (minute: number) => {
    const frames: number[] = [];
    let freezes = 0;
    for (const p of pages) {
      const now = await pageCounters(p.page).catch(() => ({ frames: {}, freezes: 0 }));
      const before = lastFrames.get(p.name) ?? {};
      frames.push(
        Object.entries(now.frames).reduce((sum, [id, count]) => sum + growth(count, before[id]), 0),
      );
      freezes += growth(now.freezes, lastFreezes.get(p.name));
      lastFrames.set(p.name, now.frames);
      lastFreezes.set(p.name, now.freezes);
    }
    const sfu = await stack.sfu.stats().catch(() => undefined);
    const row: Minute = {
      minute,
      frames,
      freezes,
      serverHeapMiB: (await stack.callServer.heapUsed().catch(() => 0)) / 2 ** 20,
      sfuHeapMiB: (sfu?.heapUsed ?? 0) / 2 ** 20,
      sfuSessions: sfu?.sessions ?? 0,
      load: loadavg()[0]!,
    };
    minutes.push(row);
    console.log(
      `min ${String(minute).padStart(3)}  frames/page ${frames.join('/')}  freezes ${freezes}  ` +
        `server heap ${row.serverHeapMiB.toFixed(1)} MiB  SFU heap ${row.sfuHeapMiB.toFixed(1)} MiB  ` +
        `SFU sessions ${row.sfuSessions}  load ${row.load.toFixed(1)}`,
    );
  };

  await sample(0); // counters from here on
  minutes.length = 0;
  const start = Date.now();
  for (let second = 1; second <= MINUTES * 60; second++) {
    await new Promise((r) => setTimeout(r, Math.max(0, start + second * 1000 - Date.now())));
    if (second % 20 === 0) await pressControl(next(), 'mic').catch(() => undefined);
    if (second % 180 === 60) {
      const sharer = next();
      await pressControl(sharer, 'screen').catch(() => undefined);
      setTimeout(() => void pressControl(sharer, 'screen').catch(() => undefined), 30_000);
    }
    if (second % 300 === 150) {
      const who = next();
      await rejoin(who, carried);
      recoveries.push({
        what: `${who.name} rejoined at ${Math.round(second / 60)} min`,
        ms: await recovery(pages),
      });
    }
    if (inNamespace && second % 600 === 300) {
      const who = next();
      const blackhole = new UdpBlackhole(await sfuPortsOf(who));
      blackhole.start();
      await new Promise((r) => setTimeout(r, 15_000));
      blackhole.end();
      recoveries.push({
        what: `${who.name} blackholed 15 s at ${Math.round(second / 60)} min`,
        ms: await recovery(pages),
      });
    }
    if (second % 60 === 0) await sample(second / 60);
  }

  // ---- verdict ----
  const pageErrors = pages.flatMap((p) => p.pageErrors);
  for (const p of pages) {
    const now = await recorded(p);
    carried.rejections.push(...now.rejections);
    carried.fatal.push(...now.callErrors.filter((e) => !e.recoverable).map((e) => `${p.name}: ${e.code}`));
  }
  const firstMinute = minutes[0]!;
  const lastMinute = minutes.at(-1)!;
  const framesPerMinute = minutes.flatMap((m) => m.frames);
  const recovered = recoveries.filter((r) => r.ms !== undefined).map((r) => r.ms!);
  console.log('\nsoak summary (ratios against the first minute of this run)');
  console.log(
    `  frames/page/min: median ${median(framesPerMinute)}, lowest ${Math.min(...framesPerMinute)}; ` +
      `expected about ${2 * 15 * 60} (two cameras at 15 fps)`,
  );
  console.log(`  freezes: ${minutes.reduce((s, m) => s + m.freezes, 0)} in ${minutes.length} min`);
  console.log(
    `  server heap: ${firstMinute.serverHeapMiB.toFixed(1)} → ${lastMinute.serverHeapMiB.toFixed(1)} MiB ` +
      `(${(lastMinute.serverHeapMiB / firstMinute.serverHeapMiB).toFixed(2)}×)`,
  );
  console.log(
    `  SFU heap: ${firstMinute.sfuHeapMiB.toFixed(1)} → ${lastMinute.sfuHeapMiB.toFixed(1)} MiB ` +
      `(${(lastMinute.sfuHeapMiB / firstMinute.sfuHeapMiB).toFixed(2)}×); SFU sessions at the end ${lastMinute.sfuSessions} (6 expected)`,
  );
  console.log(
    `  recoveries: ${recovered.length} of ${recoveries.length}, median ${median(recovered)} ms, ` +
      `slowest ${Math.max(0, ...recovered)} ms`,
  );
  for (const r of recoveries.filter((r) => r.ms === undefined))
    console.log(`  LOST: ${r.what}: not back in 45 s`);
  console.log(`  page errors: ${pageErrors.length ? tally(pageErrors) : 'none'}`);
  console.log(`  unhandled rejections: ${carried.rejections.length ? tally(carried.rejections) : 'none'}`);
  console.log(`  call-errors that ended a call: ${carried.fatal.length ? carried.fatal.join(', ') : 'none'}`);
  console.log(`  synthetic publishers: ${synthetic.map((s) => `${s.publisher.pliCount} PLIs`).join(', ')}`);

  await browser.close();
  for (const s of synthetic) {
    s.presence.ws.close();
    await s.publisher.close().catch(() => undefined);
  }
  await stack.close();
}

const rerun = process.env[NETNS_MARKER] === undefined ? rerunInPrivateNetwork(NETNS_MARKER) : undefined;
if (rerun && 'status' in rerun) {
  process.exitCode = rerun.status;
} else {
  if (rerun && 'unavailable' in rerun)
    console.log(`note: no private network namespace (${rerun.unavailable})`);
  await soak();
}
