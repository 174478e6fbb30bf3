// Pages that load the built script-tag bundles, as a site would. Needs `npm run build` first.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const repoRoot = new URL('../../', import.meta.url).pathname;

/** Fails early, with the fix, when the bundles a test loads were not built. */
export function assertBuilt(): void {
  for (const file of ['dist/call-elements.js', 'dist/call-elements.iife.js']) {
    if (!existsSync(repoRoot + file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

/** A route answering a fixed HTML document. */
export function htmlRoute(body: string) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>${body}`);
  };
}

/** Bundles a test page's TypeScript entry (relative to the repo) into one browser ES module, in memory. */
export async function bundleTestPage(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [repoRoot + entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0]?.text ?? '';
}
