// The `npm start` stack in-process: call server + local SFU, serving the repo's demo/ and dist/ on 127.0.0.1.
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack, type DevStack } from '../../server/node/dev-stack.js';
import { assertBuilt, repoRoot } from './bundle-page.js';

export function startDemoStack(): Promise<DevStack> {
  assertBuilt();
  return startDevStack(readDevStackConfig({ PORT: '0' }), {
    staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
  });
}
