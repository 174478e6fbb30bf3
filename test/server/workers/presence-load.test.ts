// 1,000 idle presence participants in one room, on Node (the call server in a process of its own) and on the
// Worker (one Room object in workerd): every one must join, and the test prints join latency and the server
// process's resident memory per participant for both, side by side. Then a small busy room on each: messages
// per second through one room, every socket ending up current (`npm run bench -- presence` runs larger rooms).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { encodeMessage } from '../../../src/protocol/codec.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { repoRoot } from '../../support/bundle-page.js';
import { testToken } from '../../support/presence-fixtures.js';
import {
  measureRoomThroughput,
  throughputSummary,
  type ThroughputOptions,
} from '../../support/presence-throughput.js';
import { startPresenceWorker } from '../../support/worker-presence.js';

// Every join is broadcast to everyone already there, so the run is quadratic: 1,000 takes about 3 minutes on
// the 2-core CI machine, too long for `npm test`. PRESENCE_LOAD_PARTICIPANTS=1000 runs the full size.
const PARTICIPANTS = Number(process.env.PRESENCE_LOAD_PARTICIPANTS ?? 300);
const CONCURRENCY = 25;
const ROOM = 'load';

interface LoadResult {
  readonly joinMs: number[];
  readonly rssBeforeKiB: number;
  readonly rssAfterKiB: number;
}

const rssKiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/** Joins PARTICIPANTS sockets (CONCURRENCY at a time); each only counts what it receives afterwards. */
async function joinAll(url: string, serverPid: number, sockets: WebSocket[]): Promise<LoadResult> {
  const rssBeforeKiB = rssKiB(serverPid);
  const joinMs: number[] = [];
  let next = 0;
  const joinOne = async (i: number) => {
    const token = await testToken(ROOM, `user-${i}`, Date.now, { canPublish: false });
    const started = performance.now();
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/rooms/${ROOM}`, { origin: url });
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(encodeMessage({ v, type: 'join', token })));
      ws.once('message', (data) => {
        assert.match(String(data), /"type":"hello"/);
        joinMs.push(performance.now() - started);
        resolve();
      });
      ws.once('error', reject);
    });
  };
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < PARTICIPANTS) await joinOne(next++);
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let the last broadcasts drain
  return { joinMs, rssBeforeKiB, rssAfterKiB: rssKiB(serverPid) };
}

function summary(runtime: string, result: LoadResult): string {
  const sorted = [...result.joinMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  const perParticipant = ((result.rssAfterKiB - result.rssBeforeKiB) / PARTICIPANTS).toFixed(1);
  return `${runtime.padEnd(8)} join p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  max ${at(1)} ms  server RSS ${(
    result.rssAfterKiB / 1024
  ).toFixed(0)} MiB (+${perParticipant} KiB per participant)`;
}

/** A Node presence server in a process of its own (so its memory is its own), for `run`. */
async function withNodeServer(run: (url: string, pid: number) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/presence-server-process.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk) => resolve(String(chunk).trim())),
    );
    await run(url, child.pid!);
  } finally {
    child.kill();
  }
}

// Small enough for `npm test` on a shared 2-core machine: 160 frames/s offered, 1,600 broadcasts/s.
const BUSY: ThroughputOptions = { room: 'busy', participants: 10, perSecond: 16, seconds: 2 };

/**
 * Every socket saw every last state, and the room took in at least a tenth of the offered rate: a floor for a
 * shared 2-core machine under load (at a load average of 27 the Worker still took 51 frames/s of 160).
 */
function assertKeptUp(result: Awaited<ReturnType<typeof measureRoomThroughput>>): void {
  assert.equal(
    result.converged,
    BUSY.participants,
    'every socket ends up with every participant’s last state',
  );
  assert.equal(result.sent, BUSY.participants * BUSY.perSecond * BUSY.seconds);
  const offered = BUSY.participants * BUSY.perSecond;
  assert.ok(result.inboundPerSecond > offered / 10, `${result.inboundPerSecond.toFixed(0)} frames/s in`);
}

describe(`presence load: ${PARTICIPANTS} idle participants in one room`, () => {
  const lines: string[] = [];
  after(() => console.log(['', ...lines, ''].join('\n')));

  it('Node: all join', async () => {
    const sockets: WebSocket[] = [];
    try {
      await withNodeServer(async (url, pid) => {
        const result = await joinAll(url, pid, sockets);
        assert.equal(result.joinMs.length, PARTICIPANTS);
        lines.push(summary('Node', result));
      });
    } finally {
      for (const ws of sockets) ws.terminate();
    }
  });

  it('Node: a busy room keeps every socket current', async () => {
    await withNodeServer(async (url) => {
      const result = await measureRoomThroughput(url, BUSY);
      lines.push(throughputSummary('Node', BUSY, result));
      assertKeptUp(result);
    });
  });

  it('Workers: a busy room keeps every socket current', async () => {
    const worker = await startPresenceWorker();
    try {
      const result = await measureRoomThroughput(worker.url, BUSY);
      lines.push(throughputSummary('Workers', BUSY, result));
      assertKeptUp(result);
    } finally {
      await worker.close();
    }
  });

  it('Workers: all join the one Room object', async () => {
    const worker = await startPresenceWorker();
    const sockets: WebSocket[] = [];
    try {
      const workerdPid = Number(
        execFileSync('pgrep', ['-n', '-P', String(process.pid), 'workerd'], { encoding: 'utf8' }).trim(),
      );
      const result = await joinAll(worker.url, workerdPid, sockets);
      assert.equal(result.joinMs.length, PARTICIPANTS);
      assert.equal((await worker.inspect(ROOM)).participants, PARTICIPANTS);
      lines.push(summary('Workers', result));
    } finally {
      for (const ws of sockets) ws.terminate();
      await worker.close();
    }
  });
});
