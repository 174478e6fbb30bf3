// Assembles the Worker's static assets as `npm start` serves them: demo/ at the root and the browser builds of
// dist/ under /dist/ (not dist/node or dist/types, which are for Node and editors). Workers static assets come
// from one directory, so the two are copied into `build/workers-assets` (wrangler.jsonc `assets.directory`).
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const SERVER_ONLY = new Set(['node', 'types']);

/** Rebuilds `<repoRoot>/build/workers-assets` and returns its path. Needs `npm run build` first. */
export async function assembleWorkerAssets(repoRoot: string): Promise<string> {
  const target = join(repoRoot, 'build', 'workers-assets');
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await cp(join(repoRoot, 'demo'), target, { recursive: true });
  const dist = join(repoRoot, 'dist');
  await cp(dist, join(target, 'dist'), {
    recursive: true,
    filter: (source) => !SERVER_ONLY.has(source.slice(dist.length + 1).split('/')[0] ?? ''),
  });
  return target;
}
