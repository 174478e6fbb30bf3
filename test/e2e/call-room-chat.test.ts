// Chat as site visitors use it: three Chromium pages in the demo room (script-tag build, call server proxy,
// local SFU), chatting through <call-chat>. Page 1 also plays a modified client, writing hand-crafted bytes to
// its own published channel: a spoofed name, malformed envelopes, an oversized message and a flood.
// A fourth page joins with a viewer token (no canPublish, no canChat).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createCallToken } from '../../server/core/call-token.js';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import {
  callChatProbe,
  chatLines,
  keepChatChannels,
  openChatSubscriptions,
  ownChatChannelOpen,
  waitForChat,
  type ChatSnapshot,
} from '../support/call-chat-probe.js';
import { joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';

const FLOOD = 1000;

/** Joins the demo room as a pure chatter (camera and microphone off, so the machine only does chat). */
async function joinChatting(page: Page, url: string, name: string, { viewer = false } = {}): Promise<void> {
  await page.addInitScript(keepChatChannels);
  await page.goto(`${url}/`);
  // Camera and microphone off on the pre-join screen, as a user does: the machine only does chat. A viewer's
  // pre-join has no devices to turn off.
  const prejoin = page.locator('call-room').locator('call-prejoin');
  for (const device of viewer ? [] : ['Camera', 'Microphone'])
    await prejoin.getByRole('button', { name: device, pressed: true }).click({ timeout: 15_000 });
  await joinFromPrejoin(page, name);
  await waitForRoom(page, (s) => s.state === 'joined', `${name} joined`, 30_000);
  if (viewer) return; // a viewer without canChat has no chat button (it reads along through events)
  await page.locator('call-room').locator('call-controls').getByRole('button', { name: /^Chat/ }).click();
  await waitForChat(page, (s) => s.open, `${name}'s chat opened`);
}

/** Types `text` into the page's composer and presses Enter. */
async function type(page: Page, text: string): Promise<void> {
  const composer = page.locator('call-room').locator('call-chat').locator('textarea');
  await composer.fill(text);
  await composer.press('Enter');
}

/** Writes raw bytes to the page's own published chat channel, as a modified client would. */
function sendRaw(page: Page, data: string[]): Promise<void> {
  return page.evaluate((list) => {
    const channel = (window as unknown as { __ownChatChannel: RTCDataChannel }).__ownChatChannel;
    for (const item of list) channel.send(item);
  }, data);
}

const envelope = (id: string, text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, type: 'chat', id, text, sentAt: Date.now(), ...extra });

const lines = (s: ChatSnapshot) => chatLines(s).map((l) => `${l.sender}: ${l.text}`);
const has = (text: string) => (s: ChatSnapshot) => chatLines(s).some((l) => l.text === text);

describe('<call-room> chat across three pages, through the proxy and the local SFU', () => {
  let stack: DevStack;
  let browser: Browser;
  let pages: Page[] = [];

  before(async () => {
    stack = await startDemoStack({ CALL_TOKEN_SECRET: TEST_TOKEN_SECRET });
    browser = await launchChromium();
    pages = await Promise.all([0, 1, 2].map(() => browser.newPage()));
    // One after the other: each sees the others in its pre-join screen, as people do.
    for (const [i, page] of pages.entries()) await joinChatting(page, stack.url, `Person ${i + 1}`);
    for (const [i, page] of pages.entries()) {
      await waitForChat(page, (s) => s.canSend, `Person ${i + 1} may send`);
      await page.waitForFunction(ownChatChannelOpen, undefined, { timeout: 15_000 });
      const deadline = Date.now() + 10_000;
      while ((await page.evaluate(openChatSubscriptions)) < 2) {
        assert.ok(Date.now() < deadline, `Person ${i + 1} subscribed to both others`);
        await page.waitForTimeout(100);
      }
    }
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('delivers every message to every page, in each sender’s order', async () => {
    const [a, b, c] = pages;
    for (let i = 1; i <= 5; i++) await type(a!, `a${i}`);
    for (const page of [b!, c!]) await waitForChat(page, has('a5'), 'a5 arrived');
    await type(b!, 'b1');
    await type(c!, 'c1');
    for (const [i, page] of pages.entries()) {
      const s = await waitForChat(
        page,
        (s) => ['a5', 'b1', 'c1'].every((t) => has(t)(s)),
        `Person ${i + 1} got every message`,
      );
      const me = (n: number) => (n === i + 1 ? 'You' : `Person ${n}`);
      const fromA = chatLines(s).filter((l) => l.text.startsWith('a'));
      assert.deepEqual(
        fromA.map((l) => `${l.sender}: ${l.text}`),
        ['a1', 'a2', 'a3', 'a4', 'a5'].map((t) => `${me(1)}: ${t}`),
        `in order on page ${i + 1}`,
      );
      assert.ok(lines(s).includes(`${me(2)}: b1`) && lines(s).includes(`${me(3)}: c1`), lines(s).join(' | '));
      assert.equal(chatLines(s).length, 7, `nothing doubled on page ${i + 1}: ${lines(s).join(' | ')}`);
    }
    // Grouping: Person 1's five messages share one header on the other pages.
    const onB = await b!.evaluate(callChatProbe);
    assert.deepEqual(onB.groups[0], {
      sender: 'Person 1',
      texts: ['a1', 'a2', 'a3', 'a4', 'a5'],
      elements: [],
    });
  });

  it('shows the real sender of a hand-crafted message claiming another name, and drops malformed ones', async () => {
    const [a, b, c] = pages;
    await sendRaw(a!, [
      envelope('spoof-1', 'I am Person 2', {
        name: 'Person 2',
        sender: 'Person 2',
        participantId: 'someone-else',
      }),
      envelope('far-future', 'a clock far off', { sentAt: 1e20 }),
      '{"v":2,"type":"chat","id":"v2","text":"from the future protocol","sentAt":1}',
      envelope('', 'no id'),
      'not json <b>at all</b>',
      JSON.stringify({ v: 1, type: 'chat', id: 'no-text', sentAt: 1 }),
      envelope('marker', 'after the malformed ones'),
    ]);
    for (const page of [b!, c!]) {
      const s = await waitForChat(page, has('after the malformed ones'), 'the marker arrived');
      const got = chatLines(s);
      assert.equal(got.find((l) => l.text === 'I am Person 2')?.sender, 'Person 1', 'the channel’s owner');
      assert.equal(got.find((l) => l.text === 'a clock far off')?.sender, 'Person 1', 'rendered, own clock');
      for (const text of ['from the future protocol', 'no id', 'not json <b>at all</b>'])
        assert.ok(!got.some((l) => l.text === text), `"${text}" dropped`);
    }
  });

  it('renders XSS payloads as text', async () => {
    const [a, b] = pages;
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      '"><svg onload="window.__xss=3">',
      'javascript:window.__xss=4 and <a href="javascript:window.__xss=5">x</a>',
    ];
    for (const text of payloads) {
      await type(a!, text);
      await a!.waitForTimeout(250); // within the sender's own rate
    }
    const s = await waitForChat(b!, has(payloads.at(-1)!), 'the payloads arrived');
    for (const text of payloads) assert.ok(has(text)(s), `shown as typed: ${text}`);
    assert.deepEqual(
      s.groups.flatMap((g) => g.elements),
      [],
      'no element made from a message',
    );
    await b!.waitForTimeout(200);
    for (const page of [a!, b!])
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  });

  it('refuses a 10 KB message with a clear error; a raw one never shows', async () => {
    const [a, b] = pages;
    const big = `big:${'x'.repeat(10 * 1024)}`;
    await type(a!, big);
    const mine = await waitForChat(a!, (s) => s.error.length > 0, 'an error shows');
    assert.match(mine.error, /at most 4 KB/);
    const left = await a!.locator('call-room').locator('call-chat').locator('textarea').inputValue();
    assert.equal(left, big, 'the text stays, to shorten');
    await sendRaw(a!, [envelope('raw-big', big), envelope('after-big', 'after the big one')]);
    const s = await waitForChat(b!, has('after the big one'), 'the message after arrived');
    assert.ok(!chatLines(s).some((l) => l.text.startsWith('big:')), 'the big one never shows');
    await a!.locator('call-room').locator('call-chat').locator('textarea').fill('');
  });

  it('1,000 messages a second from one page: the others stay responsive and drop the excess, visibly', async () => {
    const [a, b, c] = pages;
    for (const page of [b!, c!]) {
      await page.evaluate(() => {
        const w = window as unknown as {
          __maxLag: number;
          __lagTimer: number;
          __flood: number[];
          __subscribedChatChannels: RTCDataChannel[];
        };
        // How late the page's timers run during the flood: a busy main thread shows up here.
        w.__maxLag = 0;
        let last = performance.now();
        w.__lagTimer = window.setInterval(() => {
          const now = performance.now();
          w.__maxLag = Math.max(w.__maxLag, now - last - 20);
          last = now;
        }, 20);
        // When each flood message reached the page: the receive rate applies over that span.
        w.__flood = [];
        for (const channel of w.__subscribedChatChannels)
          channel.addEventListener('message', (e) => {
            if (String(e.data).includes('"flood-')) w.__flood.push(performance.now());
          });
      });
    }
    const floodMs = await a!.evaluate(async (count) => {
      const channel = (window as unknown as { __ownChatChannel: RTCDataChannel }).__ownChatChannel;
      // One a millisecond, by the clock: a late timer sends what is due, so the 1,000 take one second.
      const start = performance.now();
      let sent = 0;
      while (sent < count) {
        const due = Math.min(count, Math.floor(performance.now() - start) + 1);
        for (; sent < due; sent++)
          channel.send(
            JSON.stringify({ v: 1, type: 'chat', id: `flood-${sent}`, text: `flood ${sent}`, sentAt: 0 }),
          );
        await new Promise((r) => setTimeout(r, 4));
      }
      return performance.now() - start;
    }, FLOOD);
    assert.ok(floodMs < 3000, `the flood took ${floodMs.toFixed(0)} ms to send`);

    const tally = (s: ChatSnapshot) => {
      const shown = chatLines(s).filter((l) => l.text.startsWith('flood ')).length;
      const dropped = s.notices
        .filter((n) => n.includes('from Person 1'))
        .reduce((sum, n) => sum + Number(/^(\d+)/.exec(n)?.[1] ?? 0), 0);
      return { shown, dropped };
    };
    for (const page of [b!, c!]) {
      // The flood reaches the page as fast as the local SFU forwards it (slowly on a loaded machine): wait
      // until it is all there or has stopped coming, then account for what arrived.
      const deadline = Date.now() + 25_000;
      let arrived = 0;
      let stalledSince = Date.now();
      while (arrived < FLOOD && Date.now() < deadline && Date.now() - stalledSince < 3000) {
        await page.waitForTimeout(200);
        const now = await page.evaluate(() => (window as unknown as { __flood: number[] }).__flood.length);
        if (now > arrived) [arrived, stalledSince] = [now, Date.now()];
      }
      assert.ok(arrived >= 200, `the flood reached the page: ${arrived} of ${FLOOD}`);
      // Every message that arrived is shown or counted as dropped, once the chat caught up.
      const s = await waitForChat(
        page,
        (s) => {
          const t = tally(s);
          return t.shown + t.dropped >= arrived;
        },
        `all ${arrived} arrived flood messages shown or counted as dropped`,
      );
      const { shown, dropped } = tally(s);
      const spread = await page.evaluate(() => {
        const times = (window as unknown as { __flood: number[] }).__flood;
        return (performance.now() - times[0]!) / 1000;
      });
      // The receive rate: a burst of 20, then 8 a second since the flood's first message arrived.
      const allowed = 20 + 8 * (spread + 1);
      assert.ok(
        shown <= allowed,
        `at most ${allowed.toFixed(0)} shown (over ${spread.toFixed(1)} s), got ${shown} of ${arrived}`,
      );
      assert.ok(dropped >= arrived - allowed, `the excess dropped: ${dropped} of ${arrived}`);
      assert.match(s.notices.join(' '), /messages from Person 1 not shown: they were sent too fast/);
      const lag = await page.evaluate(() => {
        const w = window as unknown as { __maxLag: number; __lagTimer: number };
        clearInterval(w.__lagTimer);
        return w.__maxLag;
      });
      assert.ok(
        lag < 1000,
        `the page's main thread stayed responsive: longest timer delay ${lag.toFixed(0)} ms`,
      );
    }
    // The flooder's page still hears the others at once (its incoming channels carry no flood).
    const sentAt = Date.now();
    await type(c!, 'still here');
    await waitForChat(a!, has('still here'), 'a message after the flood', 3000);
    assert.ok(Date.now() - sentAt < 3000);
  });

  it('a viewer without canChat gets 403 on publish, has no chat button, and reads along through events', async () => {
    const [a] = pages;
    const viewer = await browser.newPage();
    await viewer.route('**/api/call-token', async (route) => {
      const token = await createCallToken({
        secret: TEST_TOKEN_SECRET,
        room: 'standup',
        userId: 'viewer-1',
        name: 'Viewer',
        canPublish: false,
        canSubscribe: true,
      });
      await route.fulfill({ json: { token } });
    });
    const publishReplies: { status: number; body: string }[] = [];
    viewer.on('response', async (response) => {
      const request = response.request();
      if (request.method() !== 'POST' || !request.url().endsWith('/datachannels/new')) return;
      if (!request.postData()?.includes('"local"')) return;
      publishReplies.push({ status: response.status(), body: await response.text().catch(() => '') });
    });
    await viewer.addInitScript(() => {
      const heard: { name: string; text: string }[] = [];
      (window as unknown as { heard: typeof heard }).heard = heard;
      document.addEventListener(
        'call-chat-message',
        (event) =>
          heard.push(
            (event as unknown as { detail: { message: { name: string; text: string } } }).detail.message,
          ),
        true,
      );
    });
    await joinChatting(viewer, stack.url, 'Viewer', { viewer: true });
    const deadline = Date.now() + 10_000;
    while (publishReplies.length === 0 && Date.now() < deadline) await viewer.waitForTimeout(100);
    assert.equal(publishReplies[0]?.status, 403, JSON.stringify(publishReplies));
    assert.match(publishReplies[0]!.body, /"errorCode"/);
    const chatButtons = viewer
      .locator('call-room')
      .locator('call-controls')
      .getByRole('button', { name: /^Chat/ });
    assert.equal(await chatButtons.count(), 0, 'no chat button: the token does not allow chat');
    const ready = Date.now() + 10_000;
    while ((await viewer.evaluate(openChatSubscriptions)) < 3) {
      assert.ok(Date.now() < ready, 'the viewer subscribed to the three chatters');
      await viewer.waitForTimeout(100);
    }
    await a!.waitForTimeout(1000); // the sender's own rate refills after the earlier tests
    await type(a!, 'hello viewers');
    const heardBy = Date.now() + 10_000;
    let heard: { name: string; text: string }[] = [];
    while (!heard.some((m) => m.text === 'hello viewers') && Date.now() < heardBy) {
      await viewer.waitForTimeout(100);
      heard = await viewer.evaluate(
        () => (window as unknown as { heard: { name: string; text: string }[] }).heard,
      );
    }
    assert.equal(heard.find((m) => m.text === 'hello viewers')?.name, 'Person 1', 'the viewer reads along');
  });
});
