// The `npm start` stack (call server + local SFU) in its own process for `npm run bench -- chat`, so the
// benchmark's own driver (playwright's protocol traffic, polling) shares no event loop with the SFU. Sends
// `{ url }` over IPC once listening; closes on `{ type: 'close' }`.
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack } from '../../server/node/dev-stack.js';
import { repoRoot } from '../../test/support/bundle-page.js';
import { TEST_TOKEN_SECRET } from '../../test/support/test-secrets.js';

const stack = await startDevStack(readDevStackConfig({ PORT: '0', CALL_TOKEN_SECRET: TEST_TOKEN_SECRET }), {
  staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
});
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'close') return;
  void stack.close().finally(() => process.exit(0));
});
process.send?.({ url: stack.url });
