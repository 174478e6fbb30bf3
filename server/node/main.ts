// `npm start`: the call server on http://127.0.0.1:8787 (PORT), serving demo/ and dist/, with the local SFU
// in-process, or Cloudflare Realtime when CALLS_APP_ID and CALLS_APP_SECRET are set. See config.ts.
import { fileURLToPath } from 'node:url';
import { readDevStackConfig } from './config.js';
import { startDevStack } from './dev-stack.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// A server process never dies on input; log what slipped through instead.
process.on('unhandledRejection', (reason) => console.error('[call-server] unhandled rejection:', reason));

const config = readDevStackConfig(process.env);
const stack = await startDevStack(config, {
  staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
});

if (config.demoTokenEndpoint) {
  // stdout, like the URL, so the warning always comes before it.
  console.log(
    [
      '',
      '  !! DEVELOPMENT ONLY: POST /api/call-token grants a publish+subscribe token to ANYONE who asks.',
      '  !! Switch it off with DEMO_TOKEN_ENDPOINT=off and issue tokens from your own backend',
      '  !! (createCallToken from "call-elements/server"; see README "Backend").',
      '',
    ].join('\n'),
  );
}
if (stack.ephemeralTokenSecret) {
  console.log('call-elements: CALL_TOKEN_SECRET is not set; using a random secret for this run.');
}
const sfu = stack.localSfu ? `local SFU at ${stack.localSfu.baseUrl}` : 'Cloudflare Realtime SFU';
console.log(`call-elements: ${stack.url}  (${sfu})`);

const shutdown = () => {
  stack.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
