// `npm run bench -- chat`: chat message latency, send to render, through the local SFU against a direct
// DataChannel between two pages, interleaved round by round in one run.
//
// - **SFU**: two pages in the demo room (script-tag build, call server proxy, local werift SFU), camera and
//   microphone off, chat open. Page A types a message and clicks Send; page B's <call-chat> shows it.
// - **direct**: two pages, one RTCPeerConnection each (signalled by this script, loopback host candidates
//   only), one negotiated ordered DataChannel. Page A sends the same JSON envelope; page B parses it and
//   appends it to a list. The floor: no server, no widget.
//
// The stack (call server + local SFU) runs in a child process, apart from this one's browser driving.
// Times are `performance.timeOrigin + performance.now()` on both pages (one machine, one clock). "handed" is
// when A's code calls `RTCDataChannel.send` (the widget's own send cost; the direct page's clock starts there);
// "arrive" is the DataChannel `message` event on B; "render" is the MutationObserver callback that sees the
// text in B's DOM. Rounds are spaced so neither the chat's send rate (5 a second) nor its render batching
// (50 ms) applies. The load average is printed with the figures: the machine is shared.
//
// Env: CHAT_BENCH_ROUNDS (default 60), CHAT_BENCH_QUIET_MS (the idle window before the rounds, default 10000),
// CHAT_BENCH_NETNS=0 (don't re-exec in a private network namespace).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { isInsidePrivateNetwork } from '../.ci/netns.mjs';
import { reexecInPrivateNetwork } from './support/private-network.js';
import { launchChromium } from '../test/support/browser.js';
import { assertBuilt } from '../test/support/bundle-page.js';
import {
  keepChatChannels,
  openChatSubscriptions,
  ownChatChannelOpen,
  waitForChat,
} from '../test/support/call-chat-probe.js';
import { joinFromPrejoin, waitForRoom } from '../test/support/call-room-probe.js';
import { percentile } from './support/percentile.js';
import { keepPeerConnections, rtpCounts, type RtpCounts } from './support/rtp-counts-probe.js';
import { wakeupCounts, wakeupRates } from './support/wakeups.js';

const ROUNDS = Math.max(5, Number(process.env.CHAT_BENCH_ROUNDS) || 60);
const SPACING_MS = 250;
const NETNS_MARKER = 'CHAT_BENCH_NETNS';
/** The goal: through the SFU at most this much slower than direct, send to render, judged at p50 (p95 printed too). */
const GOAL_EXTRA_MS = 2;
/** How long the idle call is watched for the SFU's wake-ups and the pages' packet rates, before the rounds. */
const QUIET_WINDOW_MS = Math.max(1000, Number(process.env.CHAT_BENCH_QUIET_MS) || 10_000);

type Variant = 'sfu' | 'direct';
interface Sample {
  /** Until the sending page's code called `RTCDataChannel.send` (0 for the direct page, whose clock starts there). */
  readonly handed: number;
  readonly arrive: number;
  readonly render: number;
}

/**
 * Run in the sending page before its scripts: notes when each `bench-…` text is handed to a DataChannel, so
 * the widget's send path (click to `send`) shows apart from the network's.
 */
function watchHandoffs(): void {
  const w = window as unknown as { __handed: Record<string, number> };
  w.__handed = {};
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
    const at = performance.timeOrigin + performance.now();
    const id = /"text":"(bench-\d+)"/.exec(String(data))?.[1];
    if (id) w.__handed[id] = at;
    return send.call(this, data);
  } as typeof send;
}

/**
 * Run in the receiving page: records when each `bench-…` text arrives on a DataChannel and when it shows up in
 * the DOM (inside <call-chat>'s shadow root for the SFU pages, the body for the direct ones).
 */
function watchArrivals(kind: string): void {
  const w = window as unknown as {
    __times: Record<string, { arrive?: number; render?: number }>;
    __onChatMessage?: (event: MessageEvent) => void;
    __dc?: RTCDataChannel;
  };
  w.__times = {};
  // Heard before the page's own handler (the widget's, or the direct page's list), so rendering isn't counted.
  w.__onChatMessage = (e) => {
    const id = /"text":"(bench-\d+)"/.exec(String(e.data))?.[1];
    if (id) (w.__times[id] ??= {}).arrive = performance.timeOrigin + performance.now();
  };
  if (kind === 'direct') w.__dc!.addEventListener('message', (e) => w.__onChatMessage!(e));
  const root =
    kind === 'sfu'
      ? document.querySelector('call-room')!.shadowRoot!.querySelector('call-chat')!.shadowRoot!
      : document.body;
  new MutationObserver((records) => {
    const at = performance.timeOrigin + performance.now();
    for (const record of records)
      for (const node of record.addedNodes) {
        for (const match of (node.textContent ?? '').matchAll(/bench-\d+/g)) {
          const entry = (w.__times[match[0]] ??= {});
          entry.render ??= at;
        }
      }
  }).observe(root, { childList: true, subtree: true, characterData: true });
}

/** Joins the demo room with camera and microphone off and opens the chat. */
async function joinChat(page: Page, url: string, name: string): Promise<void> {
  await page.addInitScript(keepChatChannels);
  await page.addInitScript(watchHandoffs);
  await page.addInitScript(keepPeerConnections);
  await page.goto(`${url}/`);
  const prejoin = page.locator('call-room').locator('call-prejoin');
  for (const device of ['Camera', 'Microphone'])
    await prejoin.getByRole('button', { name: device, pressed: true }).click({ timeout: 15_000 });
  await joinFromPrejoin(page, name);
  await waitForRoom(page, (s) => s.state === 'joined', `${name} joined`, 30_000);
  await page.locator('call-room').locator('call-controls').getByRole('button', { name: /^Chat/ }).click();
  await waitForChat(page, (s) => s.canSend, `${name} may send`, 20_000);
  await page.waitForFunction(ownChatChannelOpen, undefined, { timeout: 20_000 });
}

/** Two pages with one negotiated DataChannel between them, signalled from here. */
async function connectDirect(a: Page, b: Page): Promise<void> {
  const setup = () => {
    const w = window as unknown as { __pc: RTCPeerConnection; __dc: RTCDataChannel };
    w.__pc = new RTCPeerConnection({ iceServers: [] });
    w.__dc = w.__pc.createDataChannel('chat', { negotiated: true, id: 0, ordered: true });
  };
  await a.evaluate(setup);
  await b.evaluate(setup);
  const offer = await a.evaluate(async () => {
    const { __pc: pc } = window as unknown as { __pc: RTCPeerConnection };
    await pc.setLocalDescription(await pc.createOffer());
    while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 20));
    return pc.localDescription!.sdp;
  });
  const answer = await b.evaluate(async (sdp) => {
    const { __pc: pc } = window as unknown as { __pc: RTCPeerConnection };
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 20));
    return pc.localDescription!.sdp;
  }, offer);
  await a.evaluate(async (sdp) => {
    const { __pc: pc } = window as unknown as { __pc: RTCPeerConnection };
    await pc.setRemoteDescription({ type: 'answer', sdp });
  }, answer);
  for (const page of [a, b])
    await page.waitForFunction(
      () => (window as unknown as { __dc: RTCDataChannel }).__dc.readyState === 'open',
      undefined,
      { timeout: 10_000 },
    );
}

/** The direct receiver shows what arrives: it parses the envelope and appends the text to a list. */
function showDirect(): void {
  const { __dc: dc } = window as unknown as { __dc: RTCDataChannel };
  const list = document.body.appendChild(document.createElement('ol'));
  dc.addEventListener('message', (e) => {
    const { text } = JSON.parse(String(e.data)) as { text: string };
    list.appendChild(document.createElement('li')).textContent = text;
  });
}

/** When page A handed `id` to its DataChannel (the widget pages only). */
function handedAt(page: Page, id: string): Promise<number> {
  return page.evaluate(
    (key) => (window as unknown as { __handed: Record<string, number> }).__handed[key]!,
    id,
  );
}

/** Sends `id` from page A; returns when it left (page clock, ms since the epoch). */
function send(page: Page, variant: Variant, id: string): Promise<number> {
  if (variant === 'direct') {
    return page.evaluate((text) => {
      const at = performance.timeOrigin + performance.now();
      const envelope = { v: 1, type: 'chat', id: crypto.randomUUID(), text, sentAt: Date.now() };
      (window as unknown as { __dc: RTCDataChannel }).__dc.send(JSON.stringify(envelope));
      return at;
    }, id);
  }
  return page.evaluate((text) => {
    const chat = document.querySelector('call-room')!.shadowRoot!.querySelector('call-chat')!.shadowRoot!;
    chat.querySelector('textarea')!.value = text;
    const at = performance.timeOrigin + performance.now();
    chat.querySelector<HTMLButtonElement>('[part~="send"]')!.click();
    return at;
  }, id);
}

async function received(page: Page, id: string): Promise<{ arrive: number; render: number }> {
  const handle = await page.waitForFunction(
    (key) => {
      const entry = (window as unknown as { __times: Record<string, { arrive?: number; render?: number }> })
        .__times[key];
      return entry?.arrive !== undefined && entry.render !== undefined ? entry : undefined;
    },
    id,
    { timeout: 10_000, polling: 20 },
  );
  return (await handle.jsonValue()) as { arrive: number; render: number };
}

function report(samples: Record<Variant, Sample[]>): void {
  const stat = (v: Variant, key: keyof Sample, p: number) =>
    percentile(
      samples[v].map((s) => s[key]),
      p,
    );
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`.padStart(9);
  console.log(`\nchat latency, ${samples.sfu.length} messages each (p50 / p95):`);
  console.log(`  send → RTCDataChannel.send (the widget's send path)`);
  console.log(
    `    ${'local SFU + <call-chat>'.padEnd(24)} ${fmt(stat('sfu', 'handed', 50))} / ${fmt(stat('sfu', 'handed', 95))}`,
  );
  for (const key of ['arrive', 'render'] as const) {
    const label = key === 'arrive' ? 'send → DataChannel message' : 'send → rendered';
    console.log(`  ${label}`);
    for (const v of ['direct', 'sfu'] as const)
      console.log(
        `    ${(v === 'sfu' ? 'local SFU + <call-chat>' : 'direct DataChannel').padEnd(24)} ${fmt(stat(v, key, 50))} / ${fmt(stat(v, key, 95))}`,
      );
  }
  // Each message's own DataChannel `message` → rendered: the receiving page's share, apart from the network's.
  const shown = (v: Variant, p: number) =>
    percentile(
      samples[v].map((s) => s.render - s.arrive),
      p,
    );
  console.log(`  DataChannel message → rendered (each message's own)`);
  for (const v of ['direct', 'sfu'] as const)
    console.log(
      `    ${(v === 'sfu' ? 'local SFU + <call-chat>' : 'direct DataChannel').padEnd(24)} ${fmt(shown(v, 50))} / ${fmt(shown(v, 95))}`,
    );
  const extra50 = stat('sfu', 'render', 50) - stat('direct', 'render', 50);
  const extra95 = stat('sfu', 'render', 95) - stat('direct', 'render', 95);
  const ratio50 = stat('sfu', 'render', 50) / stat('direct', 'render', 50);
  console.log(
    `SFU − direct, send → rendered: p50 +${extra50.toFixed(2)} ms (${ratio50.toFixed(2)}×), p95 +${extra95.toFixed(2)} ms`,
  );
  console.log(
    `goal (at most ${GOAL_EXTRA_MS} ms more than direct at p50): ${extra50 <= GOAL_EXTRA_MS ? 'pass' : 'FAIL'}`,
  );
}

/**
 * What the idle call (both pages muted, cameras off, no chat) costs the SFU: its main thread's wake-ups and the
 * namespace's UDP datagrams per second, and what each page sends and receives.
 */
async function reportQuietCall(stackPid: number, pages: readonly Page[]): Promise<void> {
  const before = wakeupCounts(stackPid);
  const pagesBefore = await Promise.all(pages.map((p) => p.evaluate(rtpCounts)));
  const started = performance.now();
  await new Promise((r) => setTimeout(r, QUIET_WINDOW_MS));
  const after = wakeupCounts(stackPid);
  const pagesAfter = await Promise.all(pages.map((p) => p.evaluate(rtpCounts)));
  const seconds = (performance.now() - started) / 1000;
  console.log(`idle call, muted and cameras off, over ${seconds.toFixed(1)} s:`);
  if (before && after) {
    const r = wakeupRates(before, after, seconds);
    console.log(
      `  SFU process main thread: ${r.voluntarySwitches.toFixed(0)} wake-ups/s (${r.involuntarySwitches.toFixed(0)}/s preempted); UDP datagrams delivered in the namespace: ${r.udpDatagrams.toFixed(0)}/s`,
    );
  }
  pages.forEach((_, i) => {
    const rate = (key: keyof RtpCounts) =>
      ((pagesAfter[i]![key] - pagesBefore[i]![key]) / seconds).toFixed(1);
    console.log(
      `  page ${i === 0 ? 'A' : 'B'}: sends audio ${rate('audioSent')}, video ${rate('videoSent')} RTP packets/s, ${rate('transportSent')} packets/s in all; receives audio ${rate('audioReceived')}, video ${rate('videoReceived')}, ${rate('transportReceived')} in all`,
    );
  });
}

async function main(): Promise<void> {
  assertBuilt();
  console.log(
    `chat bench: ${ROUNDS} rounds, ${isInsidePrivateNetwork(NETNS_MARKER) ? 'private namespace' : 'host namespace'}, load average ${loadavg()[0]!.toFixed(2)}`,
  );
  // The stack in its own process: this one drives the browser and must not delay the SFU's packets.
  const child = fork(fileURLToPath(new URL('./support/chat-stack.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  const stack = { url };
  const browser: Browser = await launchChromium();
  try {
    const [sfuA, sfuB, directA, directB] = await Promise.all([0, 1, 2, 3].map(() => browser.newPage()));
    await joinChat(sfuA!, stack.url, 'Sender');
    await joinChat(sfuB!, stack.url, 'Receiver');
    const deadline = Date.now() + 15_000;
    while ((await sfuB!.evaluate(openChatSubscriptions)) < 1) {
      if (Date.now() > deadline) throw new Error('the receiver never subscribed to the sender');
      await sfuB!.waitForTimeout(100);
    }
    // Same origin as the widget pages, without the widget.
    for (const page of [directA!, directB!]) await page.goto(`${stack.url}/demo.css`);
    await connectDirect(directA!, directB!);
    await sfuB!.evaluate(watchArrivals, 'sfu');
    await directB!.evaluate(watchArrivals, 'direct');
    await directB!.evaluate(showDirect);

    await reportQuietCall(child.pid!, [sfuA!, sfuB!]);

    const samples: Record<Variant, Sample[]> = { sfu: [], direct: [] };
    const pairs: Record<Variant, [Page, Page]> = { sfu: [sfuA!, sfuB!], direct: [directA!, directB!] };
    // Two warm-up rounds, then alternate which goes first.
    for (let round = -2; round < ROUNDS; round++) {
      const order: Variant[] = round % 2 === 0 ? ['sfu', 'direct'] : ['direct', 'sfu'];
      for (const variant of order) {
        const [from, to] = pairs[variant];
        const id = `bench-${variant === 'sfu' ? 1 : 2}${String(round + 2).padStart(4, '0')}`;
        const sentAt = await send(from, variant, id);
        const { arrive, render } = await received(to, id);
        const handed = variant === 'sfu' ? (await handedAt(from, id)) - sentAt : 0;
        if (round >= 0) samples[variant].push({ handed, arrive: arrive - sentAt, render: render - sentAt });
        await new Promise((r) => setTimeout(r, SPACING_MS / 2));
      }
    }
    report(samples);
    console.log(
      `load average (1, 5, 15 min): ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
  } finally {
    await browser.close();
    child.send({ type: 'close' });
    await once(child, 'exit');
  }
}

if (!reexecInPrivateNetwork(NETNS_MARKER)) await main();
