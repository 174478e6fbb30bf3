// The stack the fault suite breaks, as `npm start` runs it but each server in a child process of its own: the local
// SFU on a fixed port (so it can be killed, restarted on the same port, or frozen), and the call server on its own
// port, restartable with the same token secret, in front of it. Both on 127.0.0.1; the call server serves demo/
// and dist/. Their heaps are measured in their own processes, apart from Playwright's client in the test's.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SfuStats } from '../../server/sfu/index.js';
import { assertBuilt } from './bundle-page.js';
import { FaultChild } from './fault-child.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET } from './test-secrets.js';

const SFU_CHILD = fileURLToPath(new URL('./fault-sfu-process.ts', import.meta.url));
const CALL_SERVER_CHILD = fileURLToPath(new URL('./fault-call-server-process.ts', import.meta.url));

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
export class SfuProcess extends FaultChild {
  constructor(readonly port: number) {
    super('the SFU child', SFU_CHILD, [String(port)], {
      SFU_APP_ID: TEST_SFU_APP_ID,
      SFU_APP_SECRET: TEST_SFU_APP_SECRET,
    });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The SFU's counts (sessions, publications, transceivers, forwarders, timers) and heap. */
  async stats(): Promise<SfuSample> {
    const reply = await this.ask('stats');
    if (reply.type !== 'stats') throw new Error(`unexpected reply ${reply.type}`);
    return { ...reply.stats, heapUsed: reply.heapUsed };
  }

  /** Runs one garbage-collection pass in the SFU now. */
  async sweep(): Promise<void> {
    await this.ask('sweep');
  }
}

export interface FaultStack {
  /** The call server's origin, e.g. `http://127.0.0.1:40123`; the same across restarts. */
  readonly url: string;
  readonly sfu: SfuProcess;
  /** The call server's process (a new process after each restart). */
  readonly callServer: FaultChild;
  /** Stops the call server: its sockets close, its memory (sessions, presence) is gone. */
  stopCallServer(): Promise<void>;
  /** Starts the call server again on the same port with the same token secret. */
  startCallServer(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the SFU child, then the call server's in front of it. */
export async function startFaultStack(): Promise<FaultStack> {
  assertBuilt();
  const sfu = new SfuProcess(await freePort());
  await sfu.start();
  const port = await freePort();
  const callServer = new FaultChild('the call server child', CALL_SERVER_CHILD, [String(port), sfu.baseUrl]);
  try {
    await callServer.start();
  } catch (error) {
    await sfu.stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    sfu,
    callServer,
    stopCallServer: () => callServer.stop(),
    startCallServer: () => callServer.start(),
    async close() {
      await callServer.stop();
      await sfu.stop();
    },
  };
}
