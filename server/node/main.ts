// `npm start`: the call server on http://127.0.0.1:8787 (PORT), serving demo/ and dist/, with the local SFU
// in-process, or Cloudflare Realtime when CALLS_APP_ID and CALLS_APP_SECRET are set. See config.ts.
import { fileURLToPath } from 'node:url';
import { readDevStackConfig } from './config.js';
import { runCallServer } from './run.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// `.data/` (gitignored) keeps the generated token secret across restarts; DATA_DIR moves it.
await runCallServer(readDevStackConfig({ DATA_DIR: `${repoRoot}.data`, ...process.env }), {
  staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
});
