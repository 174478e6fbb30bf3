// WHEP out of a room: a Chromium <call-room> participant publishes; viewers watch it without joining. Our
// <call-player> (demo/player.html) and a plain page doing raw WHEP with fetch, each with an offer and in
// counter-offer mode (406 + PATCH), decode its video. Viewer sessions end on DELETE and the SFU forgets them.
// On Node and on the Worker alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createCallToken } from '../../server/core/call-token.js';
import { launchChromium } from '../support/browser.js';
import { assertBuilt } from '../support/bundle-page.js';
import { joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { streamRuntimes, type StreamStack } from '../support/stream-stacks.js';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';

const ROOM = 'standup';

interface PlayerProbe {
  state: string;
  videoWidth: number;
  muted: boolean;
  unmuteButton: boolean;
  events: string[];
}

function playerProbe(): PlayerProbe {
  const player = document.querySelector('call-player') as
    (HTMLElement & { state: string; muted: boolean }) | null;
  const video = player?.shadowRoot?.querySelector('video');
  return {
    state: player?.state ?? 'none',
    videoWidth: video?.videoWidth ?? 0,
    muted: video?.muted ?? false,
    unmuteButton: !!player?.shadowRoot?.querySelector('[part~="unmute-button"]'),
    events: (window as unknown as { playerEvents?: string[] }).playerEvents ?? [],
  };
}

async function waitForPlayer(
  page: Page,
  test: (p: PlayerProbe) => boolean,
  what: string,
): Promise<PlayerProbe> {
  const deadline = Date.now() + 20_000;
  let last: PlayerProbe | undefined;
  while (Date.now() < deadline) {
    last = await page.evaluate(playerProbe);
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}; last: ${JSON.stringify(last)}`);
}

/** Raw WHEP in the page, no library: offer mode or counter-offer mode; resolves with the decoded width. */
async function rawWhep(
  page: Page,
  url: string,
  token: string,
  counterOffer: boolean,
): Promise<{ width: number; deleteStatus: number; postStatus: number }> {
  return page.evaluate(
    async ({ url, token, counterOffer }) => {
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/sdp' };
      const pc = new RTCPeerConnection();
      const video = document.createElement('video');
      video.muted = true;
      video.autoplay = true;
      document.body.append(video);
      const stream = new MediaStream();
      pc.ontrack = (event) => {
        stream.addTrack(event.track);
        video.srcObject = stream;
      };
      // No trickle: wait for the candidates (no named inner functions in page code: tsx adds __name).
      const gathering = { wait: undefined as unknown as () => Promise<void> };
      gathering.wait = () =>
        new Promise<void>((resolve) => {
          if (pc.iceGatheringState === 'complete') return resolve();
          pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
          setTimeout(resolve, 2_000);
        });
      let resource: string;
      let postStatus: number;
      if (counterOffer) {
        const posted = await fetch(url, { method: 'POST', headers: auth, body: '' });
        postStatus = posted.status;
        resource = new URL(posted.headers.get('location')!, url).href;
        await pc.setRemoteDescription({ type: 'offer', sdp: await posted.text() });
        await pc.setLocalDescription(await pc.createAnswer());
        await gathering.wait();
        const patched = await fetch(resource, {
          method: 'PATCH',
          headers: { ...auth, 'if-match': posted.headers.get('etag')! },
          body: pc.localDescription!.sdp,
        });
        if (patched.status !== 204) throw new Error(`PATCH answered ${patched.status}`);
      } else {
        pc.addTransceiver('video', { direction: 'recvonly' });
        pc.addTransceiver('audio', { direction: 'recvonly' });
        await pc.setLocalDescription(await pc.createOffer());
        await gathering.wait();
        const posted = await fetch(url, { method: 'POST', headers: auth, body: pc.localDescription!.sdp });
        postStatus = posted.status;
        resource = new URL(posted.headers.get('location')!, url).href;
        await pc.setRemoteDescription({ type: 'answer', sdp: await posted.text() });
      }
      const deadline = Date.now() + 15_000;
      while (video.videoWidth === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const width = video.videoWidth;
      const deleted = await fetch(resource, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
      pc.close();
      video.remove();
      return { width, deleteStatus: deleted.status, postStatus };
    },
    { url, token, counterOffer },
  );
}

for (const runtime of streamRuntimes) {
  describe(`WHEP: viewers watch a live participant without joining: ${runtime.name}`, () => {
    let stack: StreamStack;
    let browser: Browser;
    let alice: Page;
    let aliceId: string;
    let viewerToken: string;

    before(async () => {
      assertBuilt();
      stack = await runtime.start({ staticFiles: true });
      browser = await launchChromium();
      alice = await browser.newPage();
      await alice.goto(`${stack.url}/`);
      await joinFromPrejoin(alice, 'Alice');
      await waitForRoom(alice, (s) => s.state === 'joined', 'Alice joined', 20_000);
      viewerToken = await createCallToken({ secret: TEST_TOKEN_SECRET, room: ROOM, userId: 'viewer' });
      const lobby = await fetch(`${stack.url}/rooms/${ROOM}`, {
        headers: { authorization: `Bearer ${viewerToken}` },
      });
      const { participants } = (await lobby.json()) as { participants: { id: string; name: string }[] };
      aliceId = participants.find((p) => p.name === 'Alice')!.id;
    });

    after(async () => {
      await browser?.close();
      await stack?.close();
    });

    it('<call-player> plays the room stage, muted, with an unmute button', async () => {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { playerEvents: string[] };
        w.playerEvents = [];
        document.addEventListener('call-player-state-change', (e) => w.playerEvents.push(e.detail.state));
      });
      await page.goto(`${stack.url}/player.html`);
      const probe = await waitForPlayer(
        page,
        (p) => p.state === 'playing' && p.videoWidth > 0,
        'stage plays',
      );
      assert.equal(probe.videoWidth, 320);
      assert.ok(probe.muted, 'starts muted, so autoplay is allowed');
      assert.ok(probe.unmuteButton);
      assert.deepEqual(probe.events, ['connecting', 'playing']);
      assert.equal(await stack.viewerCount(ROOM), 1);

      // Counter-offer mode, watching Alice by id.
      await page.evaluate((id) => {
        const player = document.querySelector('call-player')!;
        player.setAttribute('counter-offer', '');
        player.setAttribute('src', `/whep/standup/${encodeURIComponent(id)}`);
      }, aliceId);
      await waitForPlayer(page, (p) => p.state !== 'playing', 'restarted');
      const again = await waitForPlayer(
        page,
        (p) => p.state === 'playing' && p.videoWidth > 0,
        'Alice plays',
      );
      assert.equal(again.videoWidth, 320);

      await page.evaluate(() => document.querySelector('call-player')!.remove());
      const deadline = Date.now() + 5_000;
      while ((await stack.viewerCount(ROOM)) > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      assert.equal(await stack.viewerCount(ROOM), 0, 'removing the element DELETEs its viewer session');
      await page.close();
    });

    it('a raw fetch page watches with an offer (201) and in counter-offer mode (406 + PATCH)', async () => {
      const page = await browser.newPage();
      // A same-origin page with no player running: the demo page, its script kept out.
      await page.route('**/dist/call-player.iife.js', (route) => route.abort());
      await page.goto(`${stack.url}/player.html`);
      const url = `${stack.url}/whep/${ROOM}/${encodeURIComponent(aliceId)}`;
      const offered = await rawWhep(page, url, viewerToken, false);
      assert.deepEqual(offered, { width: 320, deleteStatus: 200, postStatus: 201 });
      const countered = await rawWhep(page, url, viewerToken, true);
      assert.deepEqual(countered, { width: 320, deleteStatus: 200, postStatus: 406 });
      assert.equal(await stack.viewerCount(ROOM), 0);
      await page.close();
    });

    it('the SFU keeps nothing of the viewers', async () => {
      const sfu = stack.localSfu;
      const deadline = Date.now() + 20_000;
      // Alice's own session (camera and mic) is all that remains.
      while (sfu.stats().sessions > 1 && Date.now() < deadline) {
        sfu.sweep();
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(sfu.stats().sessions, 1);
      assert.equal(sfu.stats().forwarders, 0);
    });
  });
}
