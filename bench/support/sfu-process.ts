// The local SFU in a process of its own, for the browser benchmarks (tiles, g2g): the harness, the call server
// and the synthetic publishers then cannot stall its event loop, as in a real deployment (the shared
// performance notes, §3.0). It also reports the transport-cc feedback it sent (twcc-log.ts) over IPC.
// Child side when run as a script; `startSfuProcess` is the parent side.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export interface FeedbackRecord {
  /** One number per SFU session (responder). */
  responder: number;
  /** ms, the child's clock (only differences mean anything). */
  at: number;
  count: number;
  lost: number;
}

/** The SFU process since the previous `feedback()` call. */
export interface SfuHealth {
  /** CPU time per second of wall time, ms. */
  cpuMsPerSecond: number;
  /** Event-loop delay, ms. */
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

export interface SfuProcess {
  readonly baseUrl: string;
  readonly appId: string;
  readonly appSecret: string;
  /** Feedback sent since the previous call, and how the process fared meanwhile. */
  feedback(): Promise<{ records: FeedbackRecord[]; health: SfuHealth }>;
  close(): Promise<void>;
}

type Request = { type: 'feedback' } | { type: 'close' };

export async function startSfuProcess(): Promise<SfuProcess> {
  const appSecret = randomBytes(32).toString('hex');
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_SFU_SECRET: appSecret },
  });
  const pending: ((message: Record<string, unknown>) => void)[] = [];
  child.on('message', (message: Record<string, unknown>) => pending.shift()?.(message));
  const next = () => new Promise<Record<string, unknown>>((resolve) => pending.push(resolve));
  const ready = await next();
  const request = async (message: Request) => {
    const reply = next();
    child.send(message);
    return reply;
  };
  return {
    baseUrl: ready.baseUrl as string,
    appId: ready.appId as string,
    appSecret,
    feedback: async () => {
      const reply = await request({ type: 'feedback' });
      return { records: reply.records as FeedbackRecord[], health: reply.health as SfuHealth };
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

async function runChild(): Promise<void> {
  const [{ startLocalSfu }, { twccFeedbackLog }] = await Promise.all([
    import('../../server/sfu/index.js'),
    import('./twcc-log.js'),
  ]);
  const sfu = await startLocalSfu({
    port: 0,
    host: '127.0.0.1',
    appId: 'bench',
    appSecret: process.env.BENCH_SFU_SECRET,
    onError: () => {},
  });
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let cpu = process.cpuUsage();
  let since = performance.now();
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  process.on('message', (message: Request) => {
    if (message.type === 'feedback') {
      const records = twccFeedbackLog.splice(0).map((e) => {
        if (!ids.has(e.responder)) ids.set(e.responder, nextId++);
        return { responder: ids.get(e.responder)!, at: e.at, count: e.count, lost: e.lost };
      });
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      const health: SfuHealth = {
        cpuMsPerSecond: (used.user + used.system) / 1000 / ((now - since) / 1000),
        loopDelayP50: loop.percentile(50) / 1e6,
        loopDelayP99: loop.percentile(99) / 1e6,
        loopDelayMax: loop.max / 1e6,
      };
      loop.reset();
      cpu = process.cpuUsage();
      since = now;
      process.send?.({ records, health });
    } else if (message.type === 'close') {
      void sfu.close().finally(() => process.exit(0));
    }
  });
  process.send?.({ baseUrl: sfu.baseUrl, appId: sfu.appId });
}

if (process.argv.includes('--child')) await runChild();
