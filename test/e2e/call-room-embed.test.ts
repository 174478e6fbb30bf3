// A site embeds <call-room> from the script-tag bundle on its own origin, with its own token endpoint signing
// tokens with the call server's secret. The two supported setups must carry a call: the call server on another
// origin (CORS, and the session key instead of the lock cookie, which partytracks' fetch never sends there),
// and the call server behind the site's reverse proxy (same origin, the lock cookie). A site missing from
// ALLOWED_ORIGINS is refused by the browser and the room says it failed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { readDevStackConfig } from '../../server/node/config.js';
import { startDevStack, type DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { startEmbedSite, type EmbedSite } from '../support/embed-site.js';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';

interface Visit {
  readonly page: Page;
  /** Every request the page made to `/partytracks/`, with all its headers (cookies included). */
  readonly proxyCalls: { url: string; headers: Record<string, string> }[];
  readonly errors: string[];
}

describe('<call-room> embedded in a site on another origin', () => {
  let crossOrigin: EmbedSite;
  let proxied: EmbedSite;
  let refused: EmbedSite;
  let stack: DevStack;
  let browser: Browser;

  before(async () => {
    const site = (room: string, options: { direct: boolean; proxy?: boolean }) =>
      startEmbedSite({
        tokenSecret: TEST_TOKEN_SECRET,
        room,
        serverUrl: () => (options.direct ? stack.url : undefined),
        proxyTo: options.proxy ? () => stack.url : undefined,
      });
    crossOrigin = await site('embed-cross', { direct: true });
    proxied = await site('embed-proxied', { direct: false, proxy: true });
    refused = await site('embed-refused', { direct: true });
    stack = await startDevStack(
      readDevStackConfig({
        PORT: '0',
        CALL_TOKEN_SECRET: TEST_TOKEN_SECRET,
        ALLOWED_ORIGINS: `${crossOrigin.url}, ${proxied.url}`,
        DEMO_TOKEN_ENDPOINT: 'off',
      }),
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    await Promise.all([crossOrigin, proxied, refused].map((site) => site?.close()));
  });

  /** A visitor in their own browser profile (cookie jar) opens the site and joins from the pre-join screen. */
  async function visit(site: EmbedSite, name: string): Promise<Visit> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const visit: Visit = { page, proxyCalls: [], errors: [] };
    page.on('pageerror', (error) => visit.errors.push(error.message));
    page.on('request', (request: Request) => {
      if (!new URL(request.url()).pathname.startsWith('/partytracks/')) return;
      // A request still in flight when the test closes the browser has no headers to read any more.
      request.allHeaders().then(
        (headers) => visit.proxyCalls.push({ url: request.url(), headers }),
        () => undefined,
      );
    });
    await page.addInitScript(() => {
      const w = window as unknown as { callErrors: string[] };
      w.callErrors = [];
      document.addEventListener('call-error', (e) => w.callErrors.push((e as CustomEvent).detail.code));
    });
    await page.goto(`${site.url}/`);
    await joinFromPrejoin(page, name);
    return visit;
  }

  const callErrors = (page: Page) =>
    page.evaluate(() => (window as unknown as { callErrors: string[] }).callErrors);

  async function bothSeeEachOther(visits: Visit[]): Promise<void> {
    for (const { page } of visits) {
      await waitForRoom(
        page,
        (s) =>
          s.state === 'joined' &&
          s.local.length === 1 &&
          s.remote.length === 1 &&
          s.remote[0]!.videoWidth > 0 &&
          s.remote[0]!.frames > 0,
        'the other visitor’s video, decoded',
        30_000,
      );
      assert.deepEqual(await callErrors(page), [], 'no call-error');
    }
    for (const { errors } of visits) assert.deepEqual(errors, [], 'no page errors');
  }

  it('call server on its own origin: two visitors join and decode each other’s video', async () => {
    const visits = await Promise.all([visit(crossOrigin, 'Ada'), visit(crossOrigin, 'Bo')]);
    await bothSeeEachOther(visits);
    const keys = new Set<string>();
    for (const { proxyCalls } of visits) {
      assert.ok(proxyCalls.length >= 3, 'sessions/new, then tracks');
      for (const call of proxyCalls) assert.ok(call.url.startsWith(`${stack.url}/partytracks/`), call.url);
      // partytracks' fetch sends no cookie to another origin, so the lock cookie can't work here …
      assert.ok(
        proxyCalls.every((call) => call.headers.cookie === undefined),
        'no cookie ever reaches the call server',
      );
      // … and the session key does its job.
      const tracked = proxyCalls.filter((call) => call.url.includes('/sessions/'));
      for (const call of tracked) assert.match(call.headers['call-session-key'] ?? '', /^[0-9a-f]{64}$/);
      keys.add(tracked[0]!.headers['call-session-key']!);
    }
    assert.equal(keys.size, 2, 'one key per visitor');
  });

  it('call server behind the site’s reverse proxy: same origin, the session key and lock header, no cookie pile', async () => {
    const visits = await Promise.all([visit(proxied, 'Cy'), visit(proxied, 'Di')]);
    await bothSeeEachOther(visits);
    for (const { proxyCalls } of visits) {
      for (const call of proxyCalls) assert.ok(call.url.startsWith(`${proxied.url}/partytracks/`), call.url);
      const onSession = proxyCalls.filter((call) => /\/sessions\/[0-9a-f]+\//.test(call.url));
      assert.ok(onSession.length > 0);
      // The widget proves its sessions with its key and lock headers; the server sets no cookie for it, so a
      // hundred rejoins don't pile up a hundred cookies.
      for (const call of onSession) {
        assert.match(call.headers['call-session-key'] ?? '', /^[0-9a-f]{64}$/);
        assert.ok(call.headers['call-session-lock'], 'the lock from sessions/new travels back');
        assert.doesNotMatch(call.headers.cookie ?? '', /partytracks-session-/);
      }
    }
  });

  it('a site missing from ALLOWED_ORIGINS: the browser blocks the calls and the room shows an error', async () => {
    const { page, errors } = await visit(refused, 'Eve');
    // What the page's own script sees: a network error for the refused origin, an answer for an allowed one.
    const probe = (url: string) =>
      fetch(url, { headers: { authorization: 'Bearer not-a-token' } }).then(
        (response) => `HTTP ${response.status}`,
        (error: Error) => `${error.name}: ${error.message}`,
      );
    const lobbyUrl = `${stack.url}/rooms/embed-refused`;
    assert.equal(await page.evaluate(probe, lobbyUrl), 'TypeError: Failed to fetch');
    const allowedPage = await (await browser.newContext()).newPage();
    await allowedPage.goto(`${crossOrigin.url}/`);
    assert.equal(await allowedPage.evaluate(probe, lobbyUrl), 'HTTP 401', 'an allowed site reads the answer');

    await waitForRoom(page, (s) => s.state === 'error', 'the room in its error state', 30_000);
    assert.ok((await callErrors(page)).length > 0, 'a call-error event');
    assert.deepEqual(errors, [], 'no page errors');
  });
});
