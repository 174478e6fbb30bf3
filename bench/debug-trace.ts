import { readDevStackConfig } from '../server/node/config.js';
import { startDevStack } from '../server/node/dev-stack.js';
import { launchChromium } from '../test/support/browser.js';
import { createCallToken } from '../server/core/call-token.js';
import { TEST_TOKEN_SECRET } from '../test/support/test-secrets.js';
import { recordVp8Clip, Vp8ClipPublisher } from './support/vp8-clip.js';
import { repoRoot } from './support/join-pages.js';
import { readFileSync } from 'node:fs';
const ROOM = 'dbg';
const stack = await startDevStack(readDevStackConfig({ PORT: '0', CALL_TOKEN_SECRET: TEST_TOKEN_SECRET }), {
  staticRoots: { demo: `${repoRoot}demo`, dist: `${repoRoot}dist` },
});
const browser = await launchChromium();
const clip = await recordVp8Clip(browser, stack.url);
const pubs = [];
for (let i = 0; i < 4; i++) {
  const token = await createCallToken({
    secret: TEST_TOKEN_SECRET,
    room: ROOM,
    userId: `p${i}`,
    name: `P${i}`,
    canPublish: true,
  });
  pubs.push(await Vp8ClipPublisher.publish(`${stack.url}/whip/${ROOM}`, token, clip));
}
const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
const vt = await createCallToken({
  secret: TEST_TOKEN_SECRET,
  room: ROOM,
  userId: 'v',
  name: 'V',
  canPublish: false,
  canSubscribe: true,
});
await ctx.route('**/api/call-token', (r) => r.fulfill({ json: { token: vt } }));
const page = await ctx.newPage();
await page.goto(`${stack.url}/`);
await page.evaluate((room) => {
  const r = document.querySelector('call-room')!;
  r.setAttribute('room', room);
  r.setAttribute('camera-off', '');
  r.setAttribute('muted', '');
  r.setAttribute('max-video', '4');
  r.toggleAttribute('without-prejoin', true);
}, ROOM);
await new Promise((r) => setTimeout(r, 12000));
await browser.startTracing(page, {
  path: '/tmp/tiles-trace.json',
  categories: [
    'devtools.timeline',
    'disabled-by-default-devtools.timeline',
    'v8.execute',
    'blink',
    'cc',
    'toplevel',
    'disabled-by-default-devtools.timeline.frame',
  ],
});
await new Promise((r) => setTimeout(r, 4000));
await browser.stopTracing();
for (const p of pubs) await p.stop();
await browser.close();
await stack.close();
const trace = JSON.parse(readFileSync('/tmp/tiles-trace.json', 'utf8'));
const events = trace.traceEvents ?? trace;
const threads = new Map();
for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
const agg = new Map();
for (const e of events) {
  if (e.ph !== 'X' || !e.dur) continue;
  const t = threads.get(`${e.pid}:${e.tid}`);
  if (t !== 'CrRendererMain') continue;
  const k = e.name;
  const a = agg.get(k) ?? { n: 0, d: 0 };
  a.n++;
  a.d += e.dur / 1000;
  agg.set(k, a);
}
console.log(
  [...agg]
    .sort((a, b) => b[1].d - a[1].d)
    .slice(0, 25)
    .map(([k, v]) => `${k} n=${v.n} ${v.d.toFixed(1)}ms`)
    .join('\n'),
);
const fn = new Map();
for (const e of events) {
  if (
    e.name === 'FunctionCall' ||
    e.name === 'TimerFire' ||
    e.name === 'FireAnimationFrame' ||
    e.name === 'EventDispatch'
  ) {
    const k =
      e.name +
      ' ' +
      JSON.stringify(e.args?.data?.functionName ?? e.args?.data?.type ?? e.args?.data?.url ?? '').slice(
        0,
        80,
      );
    const a = fn.get(k) ?? { n: 0, d: 0 };
    a.n++;
    a.d += (e.dur ?? 0) / 1000;
    fn.set(k, a);
  }
}
console.log('---');
console.log(
  [...fn]
    .sort((a, b) => b[1].d - a[1].d)
    .slice(0, 20)
    .map(([k, v]) => `${k} n=${v.n} ${v.d.toFixed(1)}ms`)
    .join('\n'),
);
