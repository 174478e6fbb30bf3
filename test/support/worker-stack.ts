// The Worker and its Room objects in workerd, through Miniflare's API (Miniflare 5, the one wrangler runs): the
// bundle wrangler would build (esbuild, the same entry and conditions), the compatibility date and bindings of
// wrangler.jsonc, and a second, test-only Worker that calls the room objects' RPC methods. Eviction with
// hibernated sockets is Miniflare's own `unsafeEvictDurableObject`. Nothing here talks to Cloudflare:
// `cf: false`, no telemetry, loopback only.
import { build } from 'esbuild';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { repoRoot } from './bundle-page.js';

export interface WorkerStackOptions {
  /** The Worker's string bindings (secrets and vars), on top of those in wrangler.jsonc. */
  readonly vars: Record<string, string>;
  /** Keep Durable Object storage here, so a restart finds it. Default: in memory. */
  readonly persistDir?: string;
  /** Serve this directory as static assets, as `assets` in wrangler.jsonc does. */
  readonly assetsDir?: string;
}

export interface WorkerStack {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Calls an RPC method on the room's object. */
  rpc<T>(room: string, method: string, ...args: unknown[]): Promise<T>;
  /** Evicts the room's object as hibernation does: its memory goes, its sockets stay open. */
  hibernate(room: string): Promise<void>;
  /** Stops workerd and starts it again on the same port (and storage, with `persistDir`). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface WranglerConfig {
  readonly compatibility_date: string;
  readonly compatibility_flags?: string[];
  readonly vars?: Record<string, string>;
  readonly assets?: { readonly run_worker_first?: string[] };
}

type WorkerEntry = MiniflareOptions['workers'][number];

const CONTROL_SCRIPT = `
export default {
  async fetch(request, env) {
    const { room, method, args } = await request.json();
    const stub = env.ROOM.get(env.ROOM.idFromName(room));
    try {
      return Response.json({ value: await stub[method](...args) });
    } catch (error) {
      return Response.json({ error: String(error) }, { status: 500 });
    }
  },
};`;

let bundled: Promise<string> | undefined;

/** The Worker bundle, built once per test process. */
function bundleWorker(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(await mkdtemp(join(tmpdir(), 'call-elements-worker-')), 'worker.js');
    await build({
      entryPoints: [join(repoRoot, 'server/workers/worker.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['workerd', 'worker', 'browser'],
      external: ['cloudflare:workers'],
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

/** wrangler.jsonc without its comments and trailing commas. */
export async function readWranglerConfig(): Promise<WranglerConfig> {
  const text = await readFile(join(repoRoot, 'wrangler.jsonc'), 'utf8');
  const json = text
    .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*/g, (_m, string: string | undefined) => string ?? '')
    .replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(json) as WranglerConfig;
}

export async function startWorkerStack(options: WorkerStackOptions): Promise<WorkerStack> {
  const [scriptPath, config] = await Promise.all([bundleWorker(), readWranglerConfig()]);
  const roomBinding = { type: 'durable-object', worker: 'call-elements', exportName: 'Room' } as const;
  const worker: WorkerEntry = {
    config: {
      name: 'call-elements',
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags ?? [],
      // Miniflare 5 no longer finds modules itself: the bundle is the one module.
      manifest: {
        mainModule: 'worker.js',
        modules: { 'worker.js': { type: 'esm', contents: await readFile(scriptPath, 'utf8') } },
      },
      env: {
        ...Object.fromEntries(
          Object.entries({ ...config.vars, ...options.vars }).map(([name, value]) => [
            name,
            { type: 'text', value } as const,
          ]),
        ),
        ROOM: roomBinding,
      },
      exports: { Room: { type: 'durable-object', storage: 'sqlite' } },
      ...(options.assetsDir
        ? {
            assets: {
              directory: options.assetsDir,
              hasUserWorker: true,
              runWorkerFirst: config.assets?.run_worker_first ?? [],
            },
          }
        : {}),
    },
  };
  const control: WorkerEntry = {
    config: {
      name: 'control',
      compatibilityDate: config.compatibility_date,
      manifest: {
        mainModule: 'control.mjs',
        modules: { 'control.mjs': { type: 'esm', contents: CONTROL_SCRIPT } },
      },
      env: { ROOM: roomBinding },
    },
  };
  let port = 0;
  const start = () =>
    new Miniflare({
      workers: [worker, control],
      host: '127.0.0.1',
      port,
      cf: false,
      telemetry: { enabled: false },
      ...(options.persistDir ? { resourcePersistencePath: options.persistDir } : {}),
    });
  let mf = start();
  const url = await mf.ready;
  port = Number(url.port);

  async function call<T>(room: string, method: string, args: unknown[]): Promise<T> {
    const controlWorker = await mf.getWorker('control');
    const response = await controlWorker.fetch('http://control/', {
      method: 'POST',
      body: JSON.stringify({ room, method, args }),
    });
    const result = (await response.json()) as { value?: T; error?: string };
    if (result.error !== undefined) throw new Error(`${method}: ${result.error}`);
    return result.value as T;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    rpc: (room, method, ...args) => call(room, method, args),
    hibernate: (room) =>
      mf.unsafeEvictDurableObject('call-elements', 'Room', { name: room, webSockets: 'hibernate' }),
    async restart() {
      await mf.dispose();
      mf = start();
      await mf.ready;
    },
    close: () => mf.dispose(),
  };
}
