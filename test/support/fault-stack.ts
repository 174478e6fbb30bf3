// The stack the fault suite breaks: the local SFU in a child process on a fixed port (so it can be killed,
// restarted on the same port, or frozen) and the call server in this process, restartable on its own port
// with the same token secret. Both on 127.0.0.1; the call server serves demo/ and dist/ like `npm start`.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SfuStats } from '../../server/sfu/index.js';
import { startCallServer, type CallServer, type CallServerOptions } from '../../server/node/call-server.js';
import { assertBuilt, repoRoot } from './bundle-page.js';
import type { SfuChildReply, SfuChildRequest } from './fault-sfu-messages.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from './test-secrets.js';

const SFU_CHILD = fileURLToPath(new URL('./fault-sfu-process.ts', import.meta.url));
const IPC_TIMEOUT_MS = 5_000;

/** A port nothing listens on right now (asked of the kernel, then released for the caller to bind). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The SFU's counts, with the child's heap after a garbage collection. */
export interface SfuSample extends SfuStats {
  heapUsed: number;
}

/** The local SFU as a child process: started, killed, frozen and thawed by the test. */
export class SfuProcess {
  /** What the child printed, for failure messages. */
  readonly output: string[] = [];
  #child?: ChildProcess;
  #nextId = 1;
  readonly #waiting = new Map<number, (reply: SfuChildReply) => void>();

  constructor(readonly port: number) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.#child && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Starts the child and waits until it listens. */
  async start(): Promise<void> {
    if (this.running) throw new Error('the SFU child is already running');
    const child = fork(SFU_CHILD, [String(this.port)], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, SFU_APP_ID: TEST_SFU_APP_ID, SFU_APP_SECRET: TEST_SFU_APP_SECRET },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (reply: SfuChildReply) => {
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the SFU child did not start: ${this.tail()}`)),
        30_000,
      );
      this.#waiting.set(0, () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the SFU child exited (${code ?? signal}) while starting: ${this.tail()}`));
      });
    });
  }

  /** SIGKILL: no cleanup, no goodbye; resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.#signalAndWait('SIGKILL');
  }

  /** Stops the process (SIGSTOP): its sockets stay open and nothing answers. */
  freeze(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** Resumes a frozen process (SIGCONT). */
  thaw(): void {
    this.#child?.kill('SIGCONT');
  }

  /** The SFU's counts (sessions, publications, transceivers, forwarders, timers) and heap. */
  async stats(): Promise<SfuSample> {
    const reply = await this.#ask('stats');
    if (reply.type !== 'stats') throw new Error(`unexpected reply ${reply.type}`);
    return { ...reply.stats, heapUsed: reply.heapUsed };
  }

  /** Runs one garbage-collection pass in the SFU now. */
  async sweep(): Promise<void> {
    await this.#ask('sweep');
  }

  /** Ends the child (thawing it first if frozen). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.thaw();
    await this.#signalAndWait('SIGTERM', 5_000).catch(() => this.kill());
  }

  tail(lines = 20): string {
    return this.output.slice(-lines).join('\n');
  }

  #ask(type: SfuChildRequest['type']): Promise<SfuChildReply> {
    const child = this.#child;
    if (!child || !this.running) return Promise.reject(new Error('the SFU child is not running'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`the SFU child did not answer "${type}" within ${IPC_TIMEOUT_MS} ms`));
      }, IPC_TIMEOUT_MS);
      this.#waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ id, type } satisfies SfuChildRequest);
    });
  }

  async #signalAndWait(signal: NodeJS.Signals, timeoutMs = 10_000): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the SFU child ignored ${signal}`)), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    child.kill(signal);
    await exited;
  }
}

export interface FaultStack {
  /** The call server's origin, e.g. `http://127.0.0.1:40123`; the same across restarts. */
  readonly url: string;
  readonly sfu: SfuProcess;
  /** The call server running now (a new object after each restart). */
  readonly callServer: CallServer | undefined;
  /** Stops the call server: its sockets close, its memory (sessions, presence) is gone. */
  stopCallServer(): Promise<void>;
  /** Starts the call server again on the same port with the same token secret. */
  startCallServer(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the SFU child and the call server; `callServer` overrides the call server's options. */
export async function startFaultStack(
  options: { callServer?: Partial<CallServerOptions> } = {},
): Promise<FaultStack> {
  assertBuilt();
  const sfu = new SfuProcess(await freePort());
  await sfu.start();
  const port = await freePort();
  let callServer: CallServer | undefined;
  const start = async () => {
    if (callServer) throw new Error('the call server is already running');
    callServer = await startCallServer({
      port,
      tokenSecret: TEST_TOKEN_SECRET,
      demoTokenEndpoint: true,
      upstream: {
        appId: TEST_SFU_APP_ID,
        appSecret: TEST_SFU_APP_SECRET,
        realtimeApiBaseUrl: `${sfu.baseUrl}/v1`,
        staticIceServers: [], // loopback only
      },
      staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
      ...options.callServer,
    });
  };
  try {
    await start();
  } catch (error) {
    await sfu.stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    sfu,
    get callServer() {
      return callServer;
    },
    async stopCallServer() {
      const running = callServer;
      callServer = undefined;
      await running?.close();
    },
    startCallServer: start,
    async close() {
      await callServer?.close();
      callServer = undefined;
      await sfu.stop();
    },
  };
}
