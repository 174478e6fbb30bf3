// Starts the call server as a process does (`npm start`, the `call-elements-server` bin): the stack, what it
// prints on start-up, and a clean stop on SIGINT and SIGTERM.
import type { DevStackConfig } from './config.js';
import { startDevStack, type DevStack, type DevStackOverrides } from './dev-stack.js';

export async function runCallServer(
  config: DevStackConfig,
  overrides: DevStackOverrides = {},
): Promise<DevStack> {
  // A server process never dies on input; log what slipped through instead.
  process.on('unhandledRejection', (reason) => console.error('[call-server] unhandled rejection:', reason));

  const stack = await startDevStack(config, overrides);
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
  return stack;
}
