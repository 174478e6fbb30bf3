#!/usr/bin/env node
// Bundle budget: the script-tag build, with lit, rxjs and partytracks inlined, stays within 72 KB gzip. It was
// 60 KB until the stage, the fault handling and the room experience filled it; 72 KB is still under Daily's
// loader alone (66 KB plus a runtime bundle) and under half of livekit-client without any UI (154 KB). Elements
// most pages don't need at first paint (chat, the WHEP player) load on their own.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 72 * 1024;
const files = ['dist/call-elements.iife.js', 'dist/call-elements.js'];
let over = false;
for (const file of files) {
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
