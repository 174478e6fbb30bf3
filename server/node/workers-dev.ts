// `npm run dev:workers`: the call server as a Worker in workerd (`wrangler dev`, local mode, offline) on
// http://127.0.0.1:8787 (PORT), with the local SFU running in this process, serving demo/ and dist/ as
// `npm start` does. wrangler gets the SFU's address and fresh secrets as `--var`s; telemetry, the update
// check and the `cf` lookup are off, so nothing leaves the machine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startLocalSfu } from '../sfu/index.js';
import { DEFAULT_PORT } from './config.js';
import { assembleWorkerAssets } from './workers-assets.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const port = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;

await assembleWorkerAssets(repoRoot);
const appSecret = randomBytes(32).toString('hex');
const sfu = await startLocalSfu({ port: 0, host: '127.0.0.1', appId: 'local', appSecret });
const vars = {
  CALLS_APP_ID: sfu.appId,
  CALLS_APP_SECRET: appSecret,
  CALL_TOKEN_SECRET: process.env.CALL_TOKEN_SECRET || randomBytes(32).toString('hex'),
  CALLS_API_BASE_URL: `${sfu.baseUrl}/v1`,
  DEMO_TOKEN_ENDPOINT: process.env.DEMO_TOKEN_ENDPOINT ?? 'on',
  ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? '',
};
console.log(
  [
    '',
    '  !! DEVELOPMENT ONLY: POST /api/call-token grants a publish+subscribe token to ANYONE who asks.',
    '',
    `call-elements (Workers): http://127.0.0.1:${port}  (workerd via wrangler dev, local SFU at ${sfu.baseUrl})`,
  ].join('\n'),
);

const wrangler = spawn(
  'wrangler',
  [
    'dev',
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_HIDE_BANNER: 'true',
    },
  },
);

const stop = () => wrangler.kill('SIGINT');
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
wrangler.once('exit', (code) => {
  void sfu.close().finally(() => process.exit(code ?? 0));
});
