// A server of the fault suite in a child process of its own (forked with tsx and --expose-gc): the test can kill,
// freeze, thaw and restart it, and reads its counts and heap over IPC. Its own process also keeps its heap apart
// from the test's, where Playwright's client holds an object for every request a page has made.
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildReply, ChildRequest } from './fault-child-messages.js';

const IPC_TIMEOUT_MS = 5_000;
const START_TIMEOUT_MS = 30_000;

export class FaultChild {
  /** What the child printed, for failure messages. */
  readonly output: string[] = [];
  #child?: ChildProcess;
  #nextId = 1;
  readonly #waiting = new Map<number, (reply: ChildReply) => void>();

  /**
   * @param name for messages, e.g. "the SFU child"
   * @param entry the child's script; it sends `{id: 0, type: 'ready'}` once it listens
   */
  constructor(
    readonly name: string,
    readonly entry: string,
    readonly args: string[],
    readonly env: NodeJS.ProcessEnv = {},
  ) {}

  get running(): boolean {
    return !!this.#child && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Starts the child and waits until it listens. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const child = fork(this.entry, this.args, {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (reply: ChildReply) => {
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start: ${this.tail()}`)),
        START_TIMEOUT_MS,
      );
      this.#waiting.set(0, () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) while starting: ${this.tail()}`));
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

  /** Ends the child (thawing it first if frozen), so it closes its servers. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.thaw();
    await this.#signalAndWait('SIGTERM', 5_000).catch(() => this.kill());
  }

  /** The child's heap after a full garbage collection. */
  async heapUsed(): Promise<number> {
    const reply = await this.ask('heap');
    if (reply.type !== 'heap') throw new Error(`unexpected reply ${reply.type}`);
    return reply.heapUsed;
  }

  tail(lines = 20): string {
    return this.output.slice(-lines).join('\n');
  }

  protected ask(type: ChildRequest['type']): Promise<ChildReply> {
    const child = this.#child;
    if (!child || !this.running) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${this.name} did not answer "${type}" within ${IPC_TIMEOUT_MS} ms`));
      }, IPC_TIMEOUT_MS);
      this.#waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ id, type } satisfies ChildRequest);
    });
  }

  async #signalAndWait(signal: NodeJS.Signals, timeoutMs = 10_000): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} ignored ${signal}`)), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    child.kill(signal);
    await exited;
  }
}
