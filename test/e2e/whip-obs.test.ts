// OBS into a room: a Node publisher shaped like OBS (werift; Opus 111 + H.264 96, SSRC lines, no candidates)
// publishes generated H.264 through `POST /whip/standup` with a room token. A Chromium <call-room> in that room
// shows it as a participant with the "Live stream" badge, decodes its video and plays its audio; DELETE takes
// the tile away within 2 s, and the SFU ends up with nothing of it. On Node and on the Worker alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createCallToken } from '../../server/core/call-token.js';
import { launchChromium } from '../support/browser.js';
import { assertBuilt } from '../support/bundle-page.js';
import { joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { streamRuntimes, type StreamStack } from '../support/stream-stacks.js';
import { TEST_TOKEN_SECRET } from '../support/test-secrets.js';
import { publishWhip, type WhipSession } from '../support/whip-client.js';

const ROOM = 'standup';

/** Counts audio the page decoded and played from any of its PeerConnections. */
function recordPeerConnections(): void {
  const w = window as unknown as { peerConnections: RTCPeerConnection[] };
  w.peerConnections = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.peerConnections.push(this);
    }
  } as typeof RTCPeerConnection;
}

async function opusSamplesPlayed(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const w = window as unknown as { peerConnections: RTCPeerConnection[] };
    let samples = 0;
    for (const pc of w.peerConnections) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; kind?: string; totalSamplesReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') samples += s.totalSamplesReceived ?? 0;
      });
    }
    return samples;
  });
}

for (const runtime of streamRuntimes) {
  describe(`WHIP: an OBS-like publisher streams into a <call-room>: ${runtime.name}`, () => {
    let stack: StreamStack;
    let browser: Browser;
    let page: Page;
    let whip: WhipSession | undefined;

    before(async () => {
      assertBuilt();
      stack = await runtime.start({ staticFiles: true });
      browser = await launchChromium();
      page = await browser.newPage();
      await page.addInitScript(recordPeerConnections);
      await page.goto(`${stack.url}/`);
      await joinFromPrejoin(page, 'Viewer');
      await waitForRoom(page, (s) => s.state === 'joined', 'joined', 20_000);
    });

    after(async () => {
      await whip?.publisher.close();
      await browser?.close();
      await stack?.close();
    });

    it('answers 201 with SDP, a Location and an ETag', async () => {
      const token = await createCallToken({
        secret: TEST_TOKEN_SECRET,
        room: ROOM,
        userId: 'obs-user',
        name: 'OBS Studio',
        canPublish: true,
      });
      whip = await publishWhip(`${stack.url}/whip/${ROOM}`, token);
      assert.equal(whip.headers.get('content-type'), 'application/sdp');
      assert.match(new URL(whip.resource).pathname, /^\/whip\/standup\/streams\/[0-9a-f]{32}$/);
      assert.match(whip.etag ?? '', /^"[0-9a-f]{32}"$/);
      assert.equal(whip.headers.get('link'), null, 'no ICE servers with the local SFU');
      assert.equal(await stack.streamCount(ROOM), 1);
    });

    it('the room shows the stream as a participant with decoded video and the streaming badge', async () => {
      const s = await waitForRoom(
        page,
        (s) =>
          s.remote.some((t) => t.name === 'OBS Studio' && t.videoWidth > 0 && t.frames > 0 && !t.trackMuted),
        'the OBS tile plays video',
        20_000,
      );
      const tile = s.remote.find((t) => t.name === 'OBS Studio')!;
      assert.equal(tile.videoWidth, 320);
      const badge = page.locator('call-room').locator('video-tile').locator('[part~="streaming-badge"]');
      assert.equal(await badge.textContent({ timeout: 5_000 }), 'Live stream');
    });

    it('plays its audio', async () => {
      const unmuted = await page.waitForFunction(
        () => {
          type Tile = HTMLElement & { participant?: { name: string; audio?: MediaStreamTrack } };
          const tiles = document.querySelector('call-room')?.shadowRoot?.querySelectorAll<Tile>('video-tile');
          const audio = [...(tiles ?? [])].find((t) => t.participant?.name === 'OBS Studio')?.participant
            ?.audio;
          return audio !== undefined && !audio.muted;
        },
        undefined,
        { timeout: 10_000 },
      );
      assert.ok(await unmuted.jsonValue(), 'the pulled Opus track is live');
      const before = await opusSamplesPlayed(page);
      await new Promise((r) => setTimeout(r, 1_000));
      const played = (await opusSamplesPlayed(page)) - before;
      assert.ok(played > 24_000, `Opus samples played in 1 s: ${played}`);
    });

    it('DELETE answers 200 and removes the tile within 2 s', async () => {
      assert.ok(whip);
      const status = await whip.stop();
      assert.equal(status, 200);
      const started = Date.now();
      await waitForRoom(
        page,
        (s) => !s.remote.some((t) => t.name === 'OBS Studio'),
        'the OBS tile is gone',
        2_000,
      );
      assert.ok(Date.now() - started <= 2_000);
      assert.equal(await stack.streamCount(ROOM), 0);
    });

    it('the SFU keeps nothing of the stream', async () => {
      const sfu = stack.localSfu;
      const deadline = Date.now() + 20_000;
      // Only the viewer's own session (its camera and mic) remains.
      const viewerOnly = () => sfu.stats().publications === 2 && sfu.stats().sessions === 1;
      while (!viewerOnly() && Date.now() < deadline) {
        sfu.sweep();
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.deepEqual(
        { sessions: sfu.stats().sessions, publications: sfu.stats().publications },
        { sessions: 1, publications: 2 },
      );
    });
  });
}
