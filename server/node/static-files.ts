// Serves the demo pages at `/` and the built widget at `/dist/` (read-only, GET/HEAD only, no redirects).
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

export interface StaticRoots {
  /** Directory served at `/` (the repo's `demo/`). */
  readonly demo: string;
  /** Directory served at `/dist/` (the build output). */
  readonly dist: string;
}

export function addStaticFiles(app: Hono, roots: StaticRoots): void {
  app.use(
    '/dist/*',
    serveStatic({ root: roots.dist, rewriteRequestPath: (path) => path.slice('/dist'.length) }),
  );
  app.use('/*', serveStatic({ root: roots.demo }));
}
