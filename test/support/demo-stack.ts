// The `npm start` stack in-process: call server + local SFU, serving the repo's demo/ and dist/ on 127.0.0.1.
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack, type DevStack } from '../../server/node/dev-stack.js';
import { assertBuilt, repoRoot } from './bundle-page.js';

/** `env` adds to the `npm start` environment, e.g. `CALL_TOKEN_SECRET` so a test can sign its own tokens. */
export function startDemoStack(env: Record<string, string> = {}): Promise<DevStack> {
  assertBuilt();
  return startDevStack(readDevStackConfig({ PORT: '0', ...env }), {
    staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
  });
}
