#!/usr/bin/env node
// Bundle budget: the script-tag build, with lit, rxjs and partytracks inlined, stays within 84 KB gzip; the
// standalone <call-player> (lit only, no partytracks) within 20 KB. The main budget was 60 KB until the stage,
// the fault handling and the room experience filled it, then 72 KB until host controls, breakout rooms, the
// viewer UI and simulcast steering came in (about 82 KB); 84 KB is still about half of livekit-client without
// any UI (154 KB). The next saving is loading the host and breakout panels on first use, as chat already is in
// the ES build.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const MAIN_BUDGET_BYTES = 84 * 1024;
const PLAYER_BUDGET_BYTES = 20 * 1024;
const files = [
  ['dist/call-elements.iife.js', MAIN_BUDGET_BYTES],
  ['dist/call-elements.js', MAIN_BUDGET_BYTES],
  ['dist/call-player.iife.js', PLAYER_BUDGET_BYTES],
  ['dist/call-player.js', PLAYER_BUDGET_BYTES],
];
let over = false;
for (const [file, BUDGET_BYTES] of files) {
  let source;
  try {
    source = readFileSync(file);
  } catch {
    console.error(`size: ${file} is missing; run npm run build first`);
    process.exit(1);
  }
  const gzip = gzipSync(source, { level: 9 }).length;
  const share = ((gzip / BUDGET_BYTES) * 100).toFixed(0);
  console.log(
    `size: ${file} ${source.length} B raw, ${gzip} B gzip -9 (${share}% of the ${BUDGET_BYTES} B budget)`,
  );
  if (gzip > BUDGET_BYTES) over = true;
}
if (over) {
  console.error('size: over budget');
  process.exit(1);
}
