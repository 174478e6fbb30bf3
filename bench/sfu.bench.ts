// `npm run bench -- sfu`: forwarding cost and fan-out of the local SFU (shared/docs/performance.md, recipe 3c).
//
// The SFU runs in its own process pinned to core 0; this process (synthetic werift publisher and
// subscribers) is pinned to core 1. Subscribers are added step by step; each step reports SFU CPU per
// forwarded packet against the same-run floor (werift SRTP encryption + one UDP send), subscriber loss and
// forwarding delay. The ramp stops at the first step with loss > 0.1 %, p99 delay > 20 ms, event-loop p99
// > 20 ms, or the SFU's core at 95 %. Tunables (environment): BENCH_SFU_PPS (per publisher, default 500),
// BENCH_SFU_PUBLISHERS (1), BENCH_SFU_STEPS ("1,2,5,10,20,30,40,60,80,100"), BENCH_SFU_SECONDS per window (4),
// BENCH_SFU_NO_STOP=1 (run every step), BENCH_SFU_PIN=0 (no core pinning), BENCH_SFU_PROFILE=<dir> (CPU
// profile of each window, SFU process).
//
// Then the 1:N broadcast case with simulcast: one publisher sends a high layer (400 pkt/s of 1100 B) and a low
// one (400 pkt/s of 250 B); BENCH_SFU_VIEWERS (30) viewers pull the low layer. What each viewer costs the SFU
// (CPU above the publisher's own ingress, per forwarded packet) is printed as a ratio against a baseline in the
// same run: the same viewers on a single-layer publisher that sends only low-layer packets. A ratio near 1
// means a low-layer viewer costs what a low-layer packet costs, whatever the high layer carries.
// BENCH_SFU_CASES picks what runs: "ramp,broadcast" (default), "ramp" or "broadcast".
// werift sends one SSRC per m-line, and the synthetic simulcast publisher swaps it per packet; it now sends one
// packet at a time (werift-simulcast-publisher.ts), after its high layer once arrived incomplete on a busy machine.
// The CPU figures still need a quiet machine: at load 10-15 they move by 2× between rows.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isInsidePrivateNetwork, rerunInPrivateNetwork } from '../.ci/netns.mjs';
import { SyntheticPublisher, SyntheticSubscriber, type SfuApi } from '../test/support/werift-peers.js';
import { SimulcastPublisher, type SimulcastLayer } from '../test/support/werift-simulcast-publisher.js';
import { percentile } from './support/percentile.js';

const PPS = Number(process.env.BENCH_SFU_PPS ?? 500);
const PUBLISHERS = Number(process.env.BENCH_SFU_PUBLISHERS ?? 1);
const STEPS = (process.env.BENCH_SFU_STEPS ?? '1,2,5,10,20,30,40,60,80,100').split(',').map(Number);
const MEASURE_S = Number(process.env.BENCH_SFU_SECONDS ?? 4);
const WINDOWS = 3;
const SETTLE_S = 3;
const PAYLOAD_BYTES = 1100;
const FLOOR_PACKETS = 100_000;
const CASES = (process.env.BENCH_SFU_CASES ?? 'ramp,broadcast').split(',');
const VIEWERS = Number(process.env.BENCH_SFU_VIEWERS ?? 30);
// Same packet rate on both layers (a constraint of the synthetic publisher); the low layer's packets are small.
const HIGH: SimulcastLayer = { rid: 'h', packetsPerSecond: 400, payloadBytes: 1100 };
const LOW: SimulcastLayer = { rid: 'l', packetsPerSecond: 400, payloadBytes: 250 };

interface Sample {
  cpuUs: number;
  stats: { packetsOut: number; packetsIn: number; sessions: number };
  loopP99Ms: number;
  rssMiB: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const NETNS_MARKER = 'CALL_ELEMENTS_NETNS';

/** Re-runs this benchmark inside a private network namespace. Returns true when the re-run ran it. */
function reexecInNamespace(): boolean {
  if (isInsidePrivateNetwork(NETNS_MARKER) || process.env.CALL_ELEMENTS_NO_NETNS === '1') return false;
  const rerun = rerunInPrivateNetwork(NETNS_MARKER, [
    fileURLToPath(new URL('./run.ts', import.meta.url)),
    'sfu',
  ]);
  if ('unavailable' in rerun) return false;
  process.exitCode = rerun.status;
  return true;
}

// Read before pinning: afterwards this process only sees its own core.
const CORES = availableParallelism();

function pin(pid: number, core: number): boolean {
  if (CORES < 2 || process.env.BENCH_SFU_PIN === '0') return false;
  // -a: every thread (V8 and libuv workers too), not just the main one.
  const result = spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) console.error(`taskset failed for ${pid}: ${result.stderr}`);
  return result.status === 0;
}

function udpErrors(): { rcvbuf: number; sndbuf: number } {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/).slice(1));
  const get = (name: string) => Number(values?.[names?.indexOf(name) ?? -1] ?? 0);
  return { rcvbuf: get('RcvbufErrors'), sndbuf: get('SndbufErrors') };
}

class SfuProcess {
  private pending: ((message: Record<string, unknown>) => void)[] = [];
  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: Record<string, unknown>) => this.pending.shift()?.(message));
  }

  static async start(): Promise<{ sfu: SfuProcess; baseUrl: string }> {
    const child = fork(fileURLToPath(new URL('./sfu-server.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const sfu = new SfuProcess(child);
    const ready = await sfu.next();
    return { sfu, baseUrl: ready.baseUrl as string };
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.pending.push(resolve));
  }

  async request<T>(message: Record<string, unknown>): Promise<T> {
    const reply = this.next();
    this.child.send(message);
    return (await reply) as T;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' });
    await exited;
  }
}

async function measureFloor(sfu: SfuProcess): Promise<{ cpuUs: number; wallUs: number }> {
  const sink = createSocket({ type: 'udp4', recvBufferSize: 4 * 2 ** 20 });
  sink.on('message', () => {});
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const floor = await sfu.request<{ cpuUs: number; wallUs: number }>({
    type: 'floor',
    port: sink.address().port,
    packets: FLOOR_PACKETS,
  });
  sink.close();
  return floor;
}

interface Window {
  egress: number;
  cpuShare: number;
  loadgenShare: number;
  loadgenLoopP99: number;
  usPerPacket: number;
  loss: number;
  p50: number;
  p99: number;
  loopP99: number;
  drops: number;
  ok: boolean;
}

const loadgenLoop = monitorEventLoopDelay({ resolution: 1 });
loadgenLoop.enable();

async function measureWindow(sfu: SfuProcess, subscribers: SyntheticSubscriber[]): Promise<Window> {
  for (const s of subscribers) s.take();
  const udp0 = udpErrors();
  const a = await sfu.request<Sample>({ type: 'sample' });
  const loadgenCpu = process.cpuUsage();
  loadgenLoop.reset();
  const t0 = performance.now();
  await sleep(MEASURE_S * 1000);
  const b = await sfu.request<Sample>({ type: 'sample' });
  const seconds = (performance.now() - t0) / 1000;
  const loadgen = process.cpuUsage(loadgenCpu);
  const udp1 = udpErrors();
  const received = subscribers.map((s) => s.take());
  const expected = received.reduce((n, r) => n + r.expected, 0);
  const got = received.reduce((n, r) => n + Math.min(r.received, r.expected), 0);
  const delays = received.flatMap((r) => r.delaysMs);
  const forwarded = b.stats.packetsOut - a.stats.packetsOut;
  const cpuShare = (b.cpuUs - a.cpuUs) / (seconds * 1e6);
  const loss = expected > 0 ? (100 * (expected - got)) / expected : 100;
  const p99 = percentile(delays, 99);
  return {
    egress: forwarded / seconds,
    cpuShare,
    loadgenShare: (loadgen.user + loadgen.system) / (seconds * 1e6),
    loadgenLoopP99: loadgenLoop.percentile(99) / 1e6,
    usPerPacket: (b.cpuUs - a.cpuUs) / Math.max(1, forwarded),
    loss,
    p50: percentile(delays, 50),
    p99,
    loopP99: b.loopP99Ms,
    drops: udp1.rcvbuf - udp0.rcvbuf + (udp1.sndbuf - udp0.sndbuf),
    ok: loss <= 0.1 && p99 <= 20 && b.loopP99Ms <= 20 && cpuShare < 0.95,
  };
}

/** A peer that fails to connect while the machine is busy gets one more try before the run gives up. */
async function withRetry<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    console.error(`retrying a synthetic peer: ${String(error)}`);
    return create();
  }
}

async function main(): Promise<void> {
  if (reexecInNamespace()) return;
  const pinnedLoadgen = pin(process.pid, 1);
  const { sfu, baseUrl } = await SfuProcess.start();
  // Whatever happens here, the SFU process must not outlive the benchmark.
  process.once('exit', () => sfu.child.kill('SIGKILL'));
  const pinnedSfu = pin(sfu.child.pid!, 0);
  const api: SfuApi = {
    base: `${baseUrl}/v1/apps/bench`,
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
  };
  console.log(
    `sfu bench: ${PUBLISHERS} publisher(s) x ${PPS} pkt/s of ${PAYLOAD_BYTES} B; SFU ${pinnedSfu ? 'pinned to core 0' : 'not pinned'}, ` +
      `load generator ${pinnedLoadgen ? 'pinned to core 1' : 'not pinned'}; network: ${isInsidePrivateNetwork(NETNS_MARKER) ? 'private namespace' : 'host'}`,
  );
  // Other work on the machine shows up as forwarding delay and event-loop stalls (CPU per packet is robust).
  console.log(
    `machine load average (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} on ${CORES} cores`,
  );

  const floor = await measureFloor(sfu);
  console.log(
    `floor (same run, SFU process): SRTP AES-128-GCM encrypt + UDP send = ${floor.cpuUs.toFixed(2)} µs CPU/packet ` +
      `(${(1e6 / floor.cpuUs).toFixed(0)} pkt/s/core)`,
  );

  if (CASES.includes('ramp')) await runRamp(sfu, api, floor);
  if (CASES.includes('broadcast')) await runBroadcast(sfu, api, floor);
  await sfu.close();
  loadgenLoop.disable();
}

/** Subscribers added step by step until a step breaks the limits. */
async function runRamp(sfu: SfuProcess, api: SfuApi, floor: { cpuUs: number }): Promise<void> {
  const publishers: SyntheticPublisher[] = [];
  for (let i = 0; i < PUBLISHERS; i++) publishers.push(await SyntheticPublisher.create(api, PAYLOAD_BYTES));
  for (const p of publishers) p.start(PPS);
  const subscribers: SyntheticSubscriber[] = [];

  console.log(
    `\n${WINDOWS} windows of ${MEASURE_S} s per step; each figure is the median window (the machine is shared, so`,
  );
  console.log(
    'one stalled window must not decide a step; a step passes when most windows stay within the limits)',
  );
  const columns = [
    ['subs', 5],
    ['egress pkt/s', 12],
    ['SFU CPU', 7],
    ['µs/pkt', 6],
    ['×floor', 6],
    ['loss %', 6],
    ['delay p50/p99 ms', 16],
    ['loop p99 ms', 11],
    ['UDP drops', 9],
    ['loadgen CPU', 11],
    ['loadgen loop p99', 16],
    ['ok', 2],
  ] as const;
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(columns[i][1])).join(' | ');
  console.log(line(columns.map(([title]) => title)));
  const rows: { subs: number; egress: number; usPerPacket: number; ok: boolean }[] = [];
  for (const step of STEPS) {
    while (subscribers.length < step) {
      const publisher = publishers[subscribers.length % publishers.length];
      subscribers.push(await withRetry(() => SyntheticSubscriber.create(api, publisher)));
    }
    await sleep(SETTLE_S * 1000);
    const windows: Window[] = [];
    for (let w = 0; w < WINDOWS; w++) windows.push(await measureWindow(sfu, subscribers));
    const median = (pick: (w: Window) => number) => percentile(windows.map(pick), 50);
    const passed = windows.filter((w) => w.ok).length;
    const ok = passed * 2 > WINDOWS;
    const row = {
      subs: step,
      egress: median((w) => w.egress),
      usPerPacket: median((w) => w.usPerPacket),
      ok,
    };
    rows.push(row);
    const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
    console.log(
      line([
        String(step),
        row.egress.toFixed(0),
        percent(median((w) => w.cpuShare)),
        row.usPerPacket.toFixed(1),
        (row.usPerPacket / floor.cpuUs).toFixed(2),
        median((w) => w.loss).toFixed(3),
        `${median((w) => w.p50).toFixed(2)} / ${median((w) => w.p99).toFixed(2)}`,
        median((w) => w.loopP99).toFixed(1),
        String(median((w) => w.drops)),
        percent(median((w) => w.loadgenShare)),
        median((w) => w.loadgenLoopP99).toFixed(1),
        `${passed}/${WINDOWS}`,
      ]) + (ok ? '' : '  <- stop'),
    );
    if (!ok && !process.env.BENCH_SFU_NO_STOP) break;
  }

  const passing = rows.filter((r) => r.ok);
  const best = passing.at(-1);
  console.log('');
  if (best) {
    console.log(
      `max fan-out within limits: ${best.subs} subscriber(s) of ${PUBLISHERS} publisher(s), ${best.egress.toFixed(0)} forwarded pkt/s on one core`,
    );
    console.log(
      `cost at that step: ${best.usPerPacket.toFixed(1)} µs CPU per forwarded packet = ${(best.usPerPacket / floor.cpuUs).toFixed(2)} × the floor ` +
        `(goal ≤ 3 ×; ≥ 10,000 pkt/s: ${best.egress >= 10_000 ? 'met' : 'not met'})`,
    );
  } else {
    console.log('no step stayed within the limits');
  }

  for (const s of subscribers) await s.close();
  for (const p of publishers) await p.close();
}

/**
 * Up to five tries, half a second apart: on a loaded machine the publisher's sender can stall long enough for
 * the SFU to call its track gone, until its packets flow again.
 */
async function patiently<T>(create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (attempt === 5) throw error;
      console.error(`retrying a viewer: ${String(error).slice(0, 120)}`);
      await sleep(500);
    }
  }
}

/** The median of WINDOWS windows: SFU CPU share and forwarded packets per second. */
async function medianLoad(
  sfu: SfuProcess,
  subscribers: SyntheticSubscriber[],
): Promise<{ cpuShare: number; egress: number; loss: number }> {
  const windows: Window[] = [];
  for (let w = 0; w < WINDOWS; w++) windows.push(await measureWindow(sfu, subscribers));
  const median = (pick: (w: Window) => number) => percentile(windows.map(pick), 50);
  return {
    cpuShare: median((w) => w.cpuShare),
    egress: median((w) => w.egress),
    loss: median((w) => w.loss),
  };
}

/**
 * One publisher and VIEWERS viewers: the SFU's CPU with no viewer (the publisher's ingress alone), then with
 * all of them. What the viewers add, per packet forwarded to them, is what a viewer costs.
 */
async function viewerCost(
  sfu: SfuProcess,
  api: SfuApi,
  publisher: { sessionId: string; trackName: string },
  preferredRid: string | undefined,
): Promise<{ usPerPacket: number; egress: number; ingressShare: number; loss: number }> {
  await sleep(SETTLE_S * 1000);
  const alone = await medianLoad(sfu, []);
  const viewers: SyntheticSubscriber[] = [];
  for (let i = 0; i < VIEWERS; i++) {
    viewers.push(await patiently(() => SyntheticSubscriber.create(api, publisher, { preferredRid })));
  }
  await sleep(SETTLE_S * 1000);
  const watched = await medianLoad(sfu, viewers);
  for (const viewer of viewers) await viewer.close();
  return {
    usPerPacket: ((watched.cpuShare - alone.cpuShare) * 1e6) / Math.max(1, watched.egress),
    egress: watched.egress,
    ingressShare: alone.cpuShare,
    loss: watched.loss,
  };
}

async function runBroadcast(sfu: SfuProcess, api: SfuApi, floor: { cpuUs: number }): Promise<void> {
  console.log(
    `\n1:N broadcast with simulcast: ${VIEWERS} viewers; layers ${HIGH.rid} ${HIGH.packetsPerSecond} pkt/s × ${HIGH.payloadBytes} B, ` +
      `${LOW.rid} ${LOW.packetsPerSecond} pkt/s × ${LOW.payloadBytes} B`,
  );
  const single = await withRetry(() => SyntheticPublisher.create(api, LOW.payloadBytes));
  single.start(LOW.packetsPerSecond);
  const baseline = await viewerCost(sfu, api, single, undefined);
  await single.close();

  const simulcast = await withRetry(() => SimulcastPublisher.create(api, [HIGH, LOW]));
  simulcast.start();
  const low = await viewerCost(sfu, api, simulcast, LOW.rid);
  const high = await viewerCost(sfu, api, simulcast, HIGH.rid);
  await simulcast.close();

  const columns = [
    ['case', 44],
    ['fwd pkt/s', 9],
    ['ingress CPU', 11],
    ['µs/pkt per viewer', 17],
    ['× baseline', 10],
    ['× floor', 7],
    ['loss %', 6],
  ] as const;
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(columns[i][1])).join(' | ');
  console.log(line(columns.map(([title]) => title)));
  for (const [name, row] of [
    [`baseline: single layer, ${LOW.payloadBytes} B packets`, baseline],
    [`simulcast, viewers on the low layer (${LOW.rid})`, low],
    [`simulcast, viewers on the high layer (${HIGH.rid})`, high],
  ] as const) {
    console.log(
      line([
        name,
        row.egress.toFixed(0),
        `${(row.ingressShare * 100).toFixed(1)} %`,
        row.usPerPacket.toFixed(1),
        (row.usPerPacket / baseline.usPerPacket).toFixed(2),
        (row.usPerPacket / floor.cpuUs).toFixed(2),
        row.loss.toFixed(3),
      ]),
    );
  }
  console.log(
    `a low-layer viewer costs ${(low.usPerPacket / baseline.usPerPacket).toFixed(2)} × a low-layer packet's baseline ` +
      `(goal ≈ 1: the high layer's ingress is paid once, not per viewer)`,
  );
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
