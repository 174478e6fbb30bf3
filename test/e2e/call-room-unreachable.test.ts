// The call server can't be reached (the token endpoint names a server nobody listens on): after at most the join
// timeout of "Joining…", the room says so in words, with Try again and Cancel, and Cancel goes back to the
// pre-join screen.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { joinFromPrejoin } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';

/** A loopback port that was free a moment ago: nothing answers there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('<call-room> when the call server is unreachable', () => {
  let stack: DevStack;
  let browser: Browser;

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows "can’t reach the call service" with Try again and Cancel, within the join timeout', async () => {
    const page = await browser.newPage();
    const deadServer = `http://127.0.0.1:${await closedPort()}`;
    await page.route('**/api/call-token', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...body, serverUrl: deadServer, iceServers: [] } });
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${stack.url}/`);
    const started = Date.now();
    await joinFromPrejoin(page);
    const room = page.locator('call-room');
    await room.getByText('Joining…').waitFor({ timeout: 5_000 });
    await room.getByText('Can’t reach the call service').waitFor({ timeout: 25_000 });
    const waited = Date.now() - started;
    assert.ok(waited >= 10_000, `not before the timeout (${waited} ms)`);
    assert.ok(waited < 25_000, `within the 15 s join timeout, with slack (${waited} ms)`);
    assert.equal(await room.getByRole('button', { name: 'Try again' }).isVisible(), true);
    await room.getByRole('button', { name: 'Cancel' }).click();
    await room.getByRole('button', { name: 'Join now' }).waitFor({ timeout: 5_000 });
    assert.deepEqual(errors, [], 'no uncaught page errors');
  });

  it('says so, instead of looking joined, when every media request fails (e.g. refused by CORS)', async () => {
    const page = await browser.newPage();
    await page.route('**/partytracks/**', (route) => route.abort('failed'));
    await page.goto(`${stack.url}/`);
    await joinFromPrejoin(page);
    const room = page.locator('call-room');
    await room.getByText('Can’t reach the call service').waitFor({ timeout: 25_000 });
    const detail = await room.locator('[part~="details"]').textContent();
    assert.match(detail ?? '', /media connection did not answer/, 'the technical detail names the media');
    await page.close();
  });
});
