// The pre-join screen connects the media early (CallSessionOptions.earlyConnect): while the person looks at
// their preview, the page's SFU session exists and its PeerConnection is connected, yet presence lists nobody
// new. Joining takes that connection over (one session, one PeerConnection); leaving the pre-join screen
// without joining closes it; a name changed on the pre-join screen keeps it (the new token renews the same user).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { callRoomProbe, joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';
import type { DevStack } from '../../server/node/dev-stack.js';

interface EarlyProbe {
  pcs: RTCPeerConnection[];
  sessionsNew: number;
  /** The SFU session ids `sessions/new` answered. */
  sessionIds: string[];
  /** Connection states of the page's PeerConnections, in creation order. */
  states(): string[];
}

/** Records the page's PeerConnections and its `sessions/new` requests. */
function recordConnections(): void {
  const probe = { pcs: [] as RTCPeerConnection[], sessionsNew: 0, sessionIds: [] as string[] } as EarlyProbe;
  probe.states = () => probe.pcs.map((pc) => pc.connectionState);
  (window as unknown as { early: EarlyProbe }).early = probe;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      probe.pcs.push(this);
    }
  };
  const fetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes('/partytracks/sessions/new')) return fetch(input, init);
    probe.sessionsNew++;
    return fetch(input, init).then((response) => {
      void response
        .clone()
        .json()
        .then((body: { sessionId?: string }) => body.sessionId && probe.sessionIds.push(body.sessionId));
      return response;
    });
  };
}

const states = (page: Page) =>
  page.evaluate(() => (window as unknown as { early: EarlyProbe }).early.states());
const sessionsNew = (page: Page) =>
  page.evaluate(() => (window as unknown as { early: EarlyProbe }).early.sessionsNew);

async function untilStates(page: Page, test: (s: string[]) => boolean, what: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await states(page);
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}; PeerConnection states: ${JSON.stringify(last)}`);
}

describe('<call-room> connects the media on the pre-join screen', () => {
  let stack: DevStack;
  let browser: Browser;
  let host: Page;

  const openPrejoin = async () => {
    const page = await browser.newPage();
    await page.addInitScript(recordConnections);
    await page.goto(`${stack.url}/`);
    await page.locator('call-prejoin').getByRole('button', { name: 'Join now' }).waitFor();
    return page;
  };

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    host = await openPrejoin();
    await joinFromPrejoin(host, 'Host');
    await waitForRoom(host, (s) => s.state === 'joined' && s.local.length === 1, 'the host joined');
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('is connected before Join without being listed, and Join keeps that connection', async () => {
    const guest = await openPrejoin();
    await untilStates(
      guest,
      (s) => s.length === 1 && s[0] === 'connected',
      'connected on the pre-join screen',
    );
    // Presence heard of nobody: the host still sees no one else, the guest's lobby lists the host.
    await guest.locator('call-prejoin').locator('[part~="lobby"]').filter({ hasText: 'Host' }).waitFor();
    assert.equal((await host.evaluate(callRoomProbe)).remote.length, 0, 'the host sees nobody yet');

    await joinFromPrejoin(guest); // the prefilled name: the token of the preview
    const seen = await waitForRoom(
      guest,
      (s) => s.state === 'joined' && s.remote.some((t) => t.videoWidth > 0 && t.frames > 0 && !t.trackMuted),
      "the host's video playing",
    );
    assert.equal(seen.remote.length, 1);
    assert.deepEqual(
      await states(guest),
      ['connected'],
      'one PeerConnection, the early one, still connected',
    );
    assert.equal(await sessionsNew(guest), 1, 'one SFU session');
    await waitForRoom(host, (s) => s.remote.length === 1, 'the host sees the guest once joined');
    await guest.close();
  });

  it('shows the stage at once on Join, and the controls once the call is joined', async () => {
    const guest = await openPrejoin();
    await untilStates(guest, (s) => s[0] === 'connected', 'connected on the pre-join screen');
    await joinFromPrejoin(guest);
    const early = await guest.evaluate(() => {
      const root = document.querySelector('call-room')!.shadowRoot!;
      return {
        stage: Boolean(root.querySelector('[part~="stage"]')),
        joining: Boolean(root.querySelector('[part~="cancel"]')),
      };
    });
    assert.deepEqual(
      early,
      { stage: true, joining: false },
      'the stage in the click\'s task, no "Joining…" screen',
    );
    const controls = guest.locator('call-room').locator('call-controls');
    await controls.getByRole('button', { name: 'Microphone' }).waitFor({ timeout: 10_000 });
    await waitForRoom(guest, (s) => s.remote.some((t) => t.videoWidth > 0), "the host's video");
    await guest.close();
  });

  it('closes the early connection when the element leaves the page before Join, and the SFU drops it', async () => {
    const closed = new Set<string>();
    const stopWatching = stack.localSfu!.onSessionClosed((id) => closed.add(id));
    const guest = await openPrejoin();
    await untilStates(guest, (s) => s[0] === 'connected', 'connected on the pre-join screen');
    const [sessionId] = await guest.evaluate(
      () => (window as unknown as { early: EarlyProbe }).early.sessionIds,
    );
    assert.ok(sessionId, 'the early SFU session');
    await guest.evaluate(() => document.querySelector('call-room')!.remove());
    await untilStates(guest, (s) => s[0] === 'closed', 'closed after the element left');
    const deadline = Date.now() + 20_000;
    while (!closed.has(sessionId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    stopWatching();
    assert.ok(closed.has(sessionId), 'the SFU ended the session');
    await guest.close();
  });

  it('keeps the connection when the name changed on the pre-join screen: the new token renews the same user', async () => {
    const guest = await openPrejoin();
    await untilStates(guest, (s) => s[0] === 'connected', 'connected on the pre-join screen');
    await joinFromPrejoin(guest, 'Renamed guest');
    await waitForRoom(
      guest,
      (s) => s.state === 'joined' && s.remote.some((t) => t.videoWidth > 0 && t.frames > 0),
      "the host's video playing",
    );
    assert.deepEqual(await states(guest), ['connected'], 'one PeerConnection, the early one');
    assert.equal(await sessionsNew(guest), 1);
    await waitForRoom(
      host,
      (s) => s.remote.some((t) => t.name === 'Renamed guest' && t.videoWidth > 0),
      'the host sees the guest under the new name',
    );
    await guest.close();
  });
});
