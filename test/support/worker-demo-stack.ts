// The `npm run dev:workers` stack in-process: the Worker in workerd (Miniflare) serving demo/ and dist/ as
// static assets, with the demo token endpoint, and the local SFU in this Node process on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { assembleWorkerAssets } from '../../server/node/workers-assets.js';
import { startLocalSfu } from '../../server/sfu/index.js';
import { assertBuilt, repoRoot } from './bundle-page.js';
import { startWorkerStack, type WorkerStack } from './worker-stack.js';

export interface WorkerDemoStack {
  readonly url: string;
  readonly worker: WorkerStack;
  close(): Promise<void>;
}

export async function startWorkerDemoStack(): Promise<WorkerDemoStack> {
  assertBuilt();
  const assetsDir = await assembleWorkerAssets(repoRoot);
  const appSecret = randomBytes(32).toString('hex');
  const sfu = await startLocalSfu({ port: 0, host: '127.0.0.1', appId: 'local', appSecret });
  try {
    const worker = await startWorkerStack({
      assetsDir,
      vars: {
        CALLS_APP_ID: sfu.appId,
        CALLS_APP_SECRET: appSecret,
        CALL_TOKEN_SECRET: randomBytes(32).toString('hex'),
        CALLS_API_BASE_URL: `${sfu.baseUrl}/v1`,
        DEMO_TOKEN_ENDPOINT: 'on',
      },
    });
    return {
      url: worker.url,
      worker,
      async close() {
        await worker.close();
        await sfu.close();
      },
    };
  } catch (error) {
    await sfu.close();
    throw error;
  }
}
