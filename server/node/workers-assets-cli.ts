// `npm run deploy` runs this first: the static assets wrangler uploads (demo/ and dist/, see workers-assets.ts).
import { fileURLToPath } from 'node:url';
import { assembleWorkerAssets } from './workers-assets.js';

console.log(`assets: ${await assembleWorkerAssets(fileURLToPath(new URL('../../', import.meta.url)))}`);
