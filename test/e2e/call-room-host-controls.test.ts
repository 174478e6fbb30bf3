// Host controls with the real stack (call server, local SFU, two Chromium pages): a guest page that forges host
// frames by hand changes nothing and gets error frames; the host mutes it (its page fires `call-media-change`
// with reason `remote`); then the host removes it from the People panel. The
// removed page shows the removed screen, its old token can neither join nor pull, its SFU tracks are closed,
// and the host's tile for it is gone within 2 s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { PresenceCloseCode } from '../../src/protocol/close-codes.js';
import { launchChromium } from '../support/browser.js';
import { callRoomProbe, joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';
import { PresenceTestClient } from '../support/presence-test-client.js';

const ROOM = 'standup';

// Plain script text (not a function), so tsx adds nothing to it: keeps the page's presence sockets and frames.
const CAPTURE_SOCKETS = `
  window.__sockets = [];
  window.__frames = [];
  window.__removedEvents = 0;
  window.__mediaEvents = [];
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
      this.addEventListener('message', (e) => window.__frames.push(String(e.data)));
    }
  };
  document.addEventListener('call-removed', () => window.__removedEvents++);
  document.addEventListener('call-media-change', ({ detail: d }) =>
    window.__mediaEvents.push((d.participant.isLocal ? 'me' : 'other') + ':' + d.kind + ':' + d.enabled + ':' + d.reason),
  );
`;

interface CapturedWindow {
  __sockets: WebSocket[];
  __frames: string[];
  __removedEvents: number;
  __mediaEvents: string[];
}

/** Ids and names of everyone the page's room lists. */
function people(page: Page) {
  return page.evaluate(() => {
    const room = document.querySelector('call-room') as unknown as {
      participants: { id: string; name: string; isLocal: boolean; micOn: boolean }[];
    };
    return room.participants.map(({ id, name, isLocal, micOn }) => ({ id, name, isLocal, micOn }));
  });
}

describe('<call-room> host controls', () => {
  let stack: DevStack;
  let browser: Browser;
  let host: Page;
  let guest: Page;
  let guestToken = '';

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    host = await browser.newPage();
    guest = await browser.newPage();
    await guest.addInitScript(CAPTURE_SOCKETS);
    guest.on('response', (response) => {
      if (!response.url().includes('/api/call-token')) return;
      void response
        .json()
        .then((body: { token?: string }) => (guestToken = body.token ?? guestToken))
        .catch(() => undefined);
    });
    await host.goto(`${stack.url}/host.html`);
    await joinFromPrejoin(host, 'Hana Host');
    await guest.goto(`${stack.url}/`);
    await joinFromPrejoin(guest, 'Gus Guest');
    for (const page of [host, guest]) {
      await waitForRoom(
        page,
        (s) => s.state === 'joined' && s.remote.some((t) => t.videoWidth > 0 && !t.trackMuted),
        'each page decodes the other one’s video',
        30_000,
      );
    }
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('refuses host frames sent by hand from a guest page with error frames, and changes nothing', async () => {
    const hostId = (await people(host)).find((p) => p.isLocal)!.id;
    const guestId = (await people(guest)).find((p) => p.isLocal)!.id;
    const forged = ['remove', 'mute-mic', 'spotlight'].map((action) =>
      JSON.stringify({ v: 1, type: 'moderate', action, participantId: hostId }),
    );
    forged.push(JSON.stringify({ v: 1, type: 'moderate', action: 'remove', participantId: guestId }));
    await guest.evaluate((frames) => {
      const w = window as unknown as CapturedWindow;
      const socket = w.__sockets.find((s) => s.readyState === WebSocket.OPEN && s.url.includes('/rooms/'));
      for (const frame of frames) socket?.send(frame);
    }, forged);
    await guest.waitForFunction(
      (count) =>
        (window as unknown as CapturedWindow).__frames.filter(
          (f) => f.includes('"type":"error"') && f.includes('"forbidden"'),
        ).length >= count,
      forged.length,
      { timeout: 10_000 },
    );
    const room = stack.callServer.directory.existing(ROOM);
    assert.deepEqual(
      room
        ?.participants()
        .map((p) => p.name)
        .sort(),
      ['Gus Guest', 'Hana Host'],
      'both are still in the room',
    );
    assert.equal(room?.spotlight, null, 'no spotlight');
    assert.equal(stack.callServer.directory.isRemoved(ROOM, guestId), false, 'nobody is banned');
    assert.equal((await people(host)).find((p) => p.isLocal)?.micOn, true, "the host's microphone stays on");
    const snapshot = await host.evaluate(callRoomProbe);
    assert.equal(snapshot.state, 'joined');
    assert.ok(
      snapshot.remote.some((t) => t.name === 'Gus Guest'),
      'the host still shows the guest',
    );
  });

  it('mutes the guest from the People panel: its microphone goes off, and its page says a host did it', async () => {
    const guestId = (await people(guest)).find((p) => p.isLocal)!.id;
    assert.equal((await people(guest)).find((p) => p.isLocal)?.micOn, true, "the guest's microphone is on");
    await host.getByRole('button', { name: 'People' }).click();
    await host.getByRole('button', { name: 'Host options for Gus Guest' }).click();
    await host.getByRole('button', { name: 'Mute microphone' }).click();
    await guest.waitForFunction(
      () => (window as unknown as CapturedWindow).__mediaEvents.includes('me:audio:false:remote'),
      undefined,
      { timeout: 5_000 },
    );
    assert.deepEqual(
      await guest.evaluate(() => (window as unknown as CapturedWindow).__mediaEvents),
      ['me:audio:false:remote'],
      'one event on the muted page, reason remote',
    );
    assert.equal((await people(guest)).find((p) => p.isLocal)?.micOn, false);
    const hostSees = async () => (await people(host)).find((p) => p.id === guestId)?.micOn;
    const deadline = Date.now() + 5_000;
    while ((await hostSees()) !== false && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(await hostSees(), false, 'the host sees the guest muted');
    // The People panel closes again, as the removal below opens it.
    await host.getByRole('button', { name: 'Close the list of people' }).click();
  });

  it('removes the guest from the People panel: removed screen, tile gone within 2 s, token refused', async (t) => {
    const guestId = (await people(guest)).find((p) => p.isLocal)!.id;
    const latestSession = stack.callServer.sessions.latestSessionOf({ userId: guestId, room: ROOM });
    assert.ok(latestSession, "the server knows the guest's session");
    assert.ok(guestToken, "the guest's token was seen");
    const publicationsBefore = stack.localSfu!.stats().publications;
    const hostCamera = stack.callServer.directory
      .existing(ROOM)
      ?.publications()
      .find((p) => p.source === 'camera' && p.participantId !== guestId);
    assert.ok(hostCamera, "the host's camera is published");

    await host.getByRole('button', { name: 'People' }).click();
    await host.getByRole('button', { name: 'Host options for Gus Guest' }).click();
    await host.getByRole('button', { name: 'Remove from the call…' }).click();
    const confirm = host.getByRole('button', { name: 'Remove', exact: true });
    await confirm.waitFor();
    // Timed in the page, from the click on Remove (playwright's own click adds its actionability waits).
    await host.evaluate(() => {
      const w = window as unknown as { clickedAt?: number };
      document.addEventListener('click', () => (w.clickedAt ??= performance.now()), { capture: true });
    });
    await confirm.click();
    const gone = await host.waitForFunction(
      () => {
        const room = document.querySelector('call-room');
        const tiles = [...(room?.shadowRoot?.querySelectorAll('video-tile') ?? [])] as (Element & {
          participant?: { name: string };
        })[];
        const clickedAt = (window as unknown as { clickedAt?: number }).clickedAt;
        if (clickedAt === undefined || tiles.some((t) => t.participant?.name === 'Gus Guest')) return false;
        return performance.now() - clickedAt;
      },
      undefined,
      { timeout: 5_000, polling: 20 },
    );
    const goneAfterMs = Math.round((await gone.jsonValue()) as number);
    t.diagnostic(`the host's tile for the removed guest went ${goneAfterMs} ms after the click on Remove`);
    assert.ok(goneAfterMs < 2_000, `the host's tile for the guest went within 2 s (took ${goneAfterMs} ms)`);

    // The removed page: the removed screen and the event, no Try again.
    const removed = guest.locator('call-room').locator('[part~="removed"]');
    await removed.waitFor({ timeout: 5_000 });
    assert.match((await removed.textContent()) ?? '', /You were removed from the call\./);
    assert.equal(await guest.getByRole('button', { name: 'Try again' }).count(), 0, 'no way back in');
    assert.equal(await guest.evaluate(() => (window as unknown as CapturedWindow).__removedEvents), 1);

    // Its SFU tracks were force-closed.
    const deadline = Date.now() + 5_000;
    while (stack.localSfu!.stats().publications > publicationsBefore - 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(
      stack.localSfu!.stats().publications <= publicationsBefore - 2,
      `the guest's camera and microphone are closed on the SFU (${publicationsBefore} → ${stack.localSfu!.stats().publications})`,
    );

    // The old token can no longer join…
    const rejoin = await PresenceTestClient.open(stack.url, ROOM, stack.url);
    rejoin.send({ v: 1, type: 'join', token: guestToken });
    assert.equal((await rejoin.closed).code, PresenceCloseCode.removed, 'a rejoin is closed with 4410');

    // …nor pull, on a new session or its old one.
    const headers = { authorization: `Bearer ${guestToken}`, 'content-type': 'application/json' };
    const newSession = await fetch(`${stack.url}/partytracks/sessions/new`, { method: 'POST', headers });
    assert.equal(newSession.status, 403);
    assert.equal(((await newSession.json()) as { errorCode: string }).errorCode, 'removed');
    const pull = await fetch(`${stack.url}/partytracks/sessions/${latestSession}/tracks/new`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        tracks: [{ location: 'remote', sessionId: hostCamera.sessionId, trackName: hostCamera.trackName }],
      }),
    });
    assert.equal(pull.status, 403);
    const body = (await pull.json()) as { errorCode: string; errorDescription: string };
    assert.equal(body.errorCode, 'removed');
    assert.equal(typeof body.errorDescription, 'string');

    // The host's call goes on.
    assert.equal((await host.evaluate(callRoomProbe)).state, 'joined');
  });
});
