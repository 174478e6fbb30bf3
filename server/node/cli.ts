#!/usr/bin/env node
// `call-elements-server`, the package's bin: the call server configured by the same environment variables as
// `npm start` (README "Running it"), for running it from npm behind a TLS reverse proxy. Unlike `npm start` it
// serves no pages, keeps the development token endpoint off unless DEMO_TOKENS=1, and needs the
// CALL_TOKEN_SECRET your token endpoint signs with.
import { readDevStackConfig, type DevStackConfig } from './config.js';
import { runCallServer } from './run.js';

function fail(message: string): never {
  console.error(`call-elements-server: ${message}`);
  process.exit(1);
}

let config: DevStackConfig;
try {
  config = readDevStackConfig({
    ...process.env,
    DEMO_TOKEN_ENDPOINT: process.env.DEMO_TOKEN_ENDPOINT || 'off',
  });
} catch (error) {
  fail((error as Error).message);
}
if (config.tokenSecret === undefined && !config.demoTokenEndpoint) {
  fail('set CALL_TOKEN_SECRET to the secret your token endpoint signs room tokens with (32 bytes or more)');
}
if (config.tokenSecret !== undefined && new TextEncoder().encode(config.tokenSecret).length < 32) {
  fail('CALL_TOKEN_SECRET must be at least 32 bytes');
}
if (config.sfu.kind === 'local') {
  console.log(
    'call-elements: no CALLS_APP_ID/CALLS_APP_SECRET, so media goes through the local SFU, which only reaches ' +
      'browsers on this machine (127.0.0.1). Set them for Cloudflare Realtime.',
  );
}
await runCallServer(config);
