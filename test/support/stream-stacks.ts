// The call server with the local SFU on both runtimes, as the WHIP and WHEP suites need it: Node (`npm start`'s
// dev stack) and the Worker in workerd (`npm run dev:workers`' stack), each with the test token secret. Suites
// loop over `streamRuntimes` and assert the same things of both; only how a count is read differs, and that
// stays in here.
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack } from '../../server/node/dev-stack.js';
import type { LocalSfu } from '../../server/sfu/index.js';
import type { RoomInspection } from '../../server/workers/room-inspection.js';
import { repoRoot } from './bundle-page.js';
import { TEST_TOKEN_SECRET } from './test-secrets.js';
import { startWorkerDemoStack } from './worker-demo-stack.js';

export interface StreamStack {
  readonly url: string;
  readonly localSfu: LocalSfu;
  /** WHIP streams the server holds for `room`. */
  streamCount(room: string): Promise<number>;
  /** WHEP viewers the server holds for `room`. */
  viewerCount(room: string): Promise<number>;
  close(): Promise<void>;
}

export interface StreamRuntime {
  readonly name: 'Node' | 'Workers';
  /** `staticFiles` serves demo/ and dist/ as `npm start` does (needs `npm run build`). */
  start(options?: { readonly staticFiles?: boolean }): Promise<StreamStack>;
}

export const streamRuntimes: readonly StreamRuntime[] = [
  {
    name: 'Node',
    async start({ staticFiles = false } = {}) {
      const stack = await startDevStack(
        readDevStackConfig({ PORT: '0', CALL_TOKEN_SECRET: TEST_TOKEN_SECRET }),
        {
          staticRoots: staticFiles ? { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` } : undefined,
        },
      );
      return {
        url: stack.url,
        localSfu: stack.localSfu!,
        streamCount: () => Promise.resolve(stack.callServer.whip.streamCount),
        viewerCount: () => Promise.resolve(stack.callServer.whep.viewerCount),
        close: () => stack.close(),
      };
    },
  },
  {
    name: 'Workers',
    async start({ staticFiles = false } = {}) {
      const stack = await startWorkerDemoStack({ tokenSecret: TEST_TOKEN_SECRET, staticFiles });
      const inspect = (room: string) => stack.worker.rpc<RoomInspection>(room, 'inspect');
      return {
        url: stack.url,
        localSfu: stack.localSfu,
        streamCount: async (room) => (await inspect(room)).streams,
        viewerCount: async (room) => (await inspect(room)).viewers,
        close: () => stack.close(),
      };
    },
  },
];
