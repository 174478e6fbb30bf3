// Node side of the join benchmark: writes the three variants' pages and the probe into a temporary directory
// that the dev stack serves as its demo root (the widget page loads `/dist/call-elements.iife.js`).
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export type Variant = 'widget' | 'bare' | 'p2p';

export interface JoinPages {
  /** Served at `/`. */
  readonly root: string;
  /** Served at `/dist/`: a copy of the script-tag bundle taken at start, so a rebuild mid-run changes nothing. */
  readonly dist: string;
  /** The copied bundle. */
  readonly bundle: string;
  /** The probe as a classic script, for `addInitScript({ content })`. */
  readonly probe: string;
  /** What the harness clicks to join, per variant. */
  readonly joinSelector: Record<Variant, string>;
  dispose(): Promise<void>;
}

/** One entry bundled for the browser (minified), as a string. */
export async function bundle(entry: string, format: 'esm' | 'iife'): Promise<string> {
  const result = await build({
    entryPoints: [join(repoRoot, entry)],
    bundle: true,
    format,
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    write: false,
    logLevel: 'silent',
    // tiny-invariant (a partytracks dependency) reads process.env.NODE_ENV.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0]?.text ?? '';
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>join bench: ${title}</title>
<style>html,body{height:100%;margin:0}body{display:flex;flex-direction:column}call-room{flex:1}video{width:320px}</style>
</head><body>${body}</body></html>`;

// The widget exactly as a site embeds it, plus query parameters for the room and the role. Video only by
// default (`muted`), like the other two variants; `?audio=true` keeps the widget's default.
const widgetPage = page(
  'widget',
  `<script src="/dist/call-elements.iife.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const room = document.createElement('call-room');
  room.setAttribute('token-endpoint', '/api/call-token');
  room.setAttribute('room', params.get('room') || 'bench');
  room.setAttribute('display-name', params.get('role') || 'subscriber');
  if (params.get('audio') !== 'true') room.toggleAttribute('muted', true);
  // The publisher joins at once; the subscriber joins from the pre-join screen, its camera preview open.
  if (params.get('role') === 'publisher') room.toggleAttribute('without-prejoin', true);
  document.body.append(room);
  document.body.dataset.ready = 'true';
</script>`,
);

export async function writeJoinPages(): Promise<JoinPages> {
  const root = await mkdtemp(join(tmpdir(), 'join-bench-'));
  const dist = join(root, 'dist');
  const bundleCopy = join(dist, 'call-elements.iife.js');
  await mkdir(dist);
  await copyFile(join(repoRoot, 'dist/call-elements.iife.js'), bundleCopy);
  const [probe, p2p, bare] = await Promise.all([
    bundle('bench/support/join-probe.ts', 'iife'),
    bundle('bench/support/p2p-page.ts', 'esm'),
    bundle('bench/support/bare-page.ts', 'esm'),
  ]);
  await Promise.all([
    writeFile(join(root, 'p2p.js'), p2p),
    writeFile(join(root, 'bare.js'), bare),
    writeFile(join(root, 'p2p.html'), page('p2p', '<script type="module" src="/p2p.js"></script>')),
    writeFile(
      join(root, 'bare.html'),
      page('bare partytracks', '<script type="module" src="/bare.js"></script>'),
    ),
    writeFile(join(root, 'widget.html'), widgetPage),
  ]);
  return {
    root,
    dist,
    bundle: bundleCopy,
    probe,
    joinSelector: {
      // Playwright's CSS engine pierces open shadow roots: the widget's own Join button.
      widget: 'call-prejoin button[part~="join"]',
      bare: '#join',
      p2p: '#join',
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
