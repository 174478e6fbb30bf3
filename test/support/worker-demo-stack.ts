// The `npm run dev:workers` stack in-process: the Worker in workerd (Miniflare) serving demo/ and dist/ as
// static assets, with the demo token endpoint, and the local SFU in this Node process on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { assembleWorkerAssets } from '../../server/node/workers-assets.js';
import { startLocalSfu, type LocalSfu } from '../../server/sfu/index.js';
import { assertBuilt, repoRoot } from './bundle-page.js';
import { startWorkerStack, type WorkerStack } from './worker-stack.js';

export interface WorkerDemoStack {
  readonly url: string;
  readonly worker: WorkerStack;
  readonly localSfu: LocalSfu;
  close(): Promise<void>;
}

export interface WorkerDemoStackOptions {
  /** Default: a random one. */
  readonly tokenSecret?: string;
  /** Serve demo/ and dist/ (needs `npm run build`). Default true. */
  readonly staticFiles?: boolean;
}

export async function startWorkerDemoStack(options: WorkerDemoStackOptions = {}): Promise<WorkerDemoStack> {
  const staticFiles = options.staticFiles ?? true;
  if (staticFiles) assertBuilt();
  const assetsDir = staticFiles ? await assembleWorkerAssets(repoRoot) : undefined;
  const appSecret = randomBytes(32).toString('hex');
  const localSfu = await startLocalSfu({ port: 0, host: '127.0.0.1', appId: 'local', appSecret });
  try {
    const worker = await startWorkerStack({
      assetsDir,
      vars: {
        CALLS_APP_ID: localSfu.appId,
        CALLS_APP_SECRET: appSecret,
        CALL_TOKEN_SECRET: options.tokenSecret ?? randomBytes(32).toString('hex'),
        CALLS_API_BASE_URL: `${localSfu.baseUrl}/v1`,
        DEMO_TOKEN_ENDPOINT: 'on',
      },
    });
    return {
      url: worker.url,
      worker,
      localSfu,
      async close() {
        await worker.close();
        await localSfu.close();
      },
    };
  } catch (error) {
    await localSfu.close();
    throw error;
  }
}
