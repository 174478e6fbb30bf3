// A broadcast viewer, end to end: demo/broadcast.html in Chromium with a viewer token (no canPublish), and a
// host streaming real H.264 like OBS does (WHIP, a werift peer, host token) through the real call server and
// local SFU. (The synthetic werift publisher sends undecodable VP8, and a viewer must decode.) The viewer
// never calls getUserMedia, pushes nothing, has no tile of its own and a bar of settings and leave, decodes the
// host's video, and shows how many watch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { callRoomProbe, joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';
import { PresenceTestClient } from '../support/presence-test-client.js';
import { publishWhip, type WhipSession } from '../support/whip-client.js';

const ROOM = 'broadcast';

describe('<call-room> as a broadcast viewer (demo/broadcast.html)', () => {
  let stack: DevStack;
  let browser: Browser;
  let page: Page;
  let host: WhipSession | undefined;
  const audience: PresenceTestClient[] = [];

  async function tokenFor(role: 'host' | 'viewer', name: string): Promise<string> {
    const response = await fetch(`${stack.url}/api/call-token?role=${role}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ room: ROOM, name }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  before(async () => {
    stack = await startDemoStack();
    host = await publishWhip(`${stack.url}/whip/${ROOM}`, await tokenFor('host', 'Host'), {}, 60_000);
    // Two more viewers, presence only: the page counts them without listing them.
    for (const name of ['Viewer A', 'Viewer B']) {
      audience.push(
        await PresenceTestClient.join(stack.url, ROOM, stack.url, await tokenFor('viewer', name)),
      );
    }

    browser = await launchChromium();
    page = await browser.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { peerConnections: RTCPeerConnection[]; getUserMediaCalls: number };
      w.peerConnections = [];
      w.getUserMediaCalls = 0;
      window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
        construct(target, args, newTarget) {
          const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
          w.peerConnections.push(pc);
          return pc;
        },
      });
      const devices = navigator.mediaDevices;
      const original = devices.getUserMedia.bind(devices);
      devices.getUserMedia = (constraints) => {
        w.getUserMediaCalls++;
        return original(constraints);
      };
    });
    await page.goto(`${stack.url}/broadcast.html`);
    await joinFromPrejoin(page, 'Page viewer');
    await waitForRoom(page, (s) => s.state === 'joined', 'the viewer joins', 20_000);
  });

  after(async () => {
    await browser?.close();
    await host?.publisher.close().catch(() => undefined);
    for (const viewer of audience) viewer.ws.close();
    await stack?.close();
  });

  it("decodes the host's video: videoWidth > 0 and decoded frames on an unmuted track", async () => {
    const first = await waitForRoom(
      page,
      (s) =>
        s.remote.length === 1 &&
        s.remote[0]!.videoWidth > 0 &&
        s.remote[0]!.frames > 0 &&
        !s.remote[0]!.trackMuted,
      "the host's video plays",
      15_000,
    );
    assert.equal(first.remote[0]!.name, 'Host');
  });

  it("keeps decoding the host's video: frames advance", async () => {
    const received = () =>
      page.evaluate(async () => {
        const w = window as unknown as { peerConnections: RTCPeerConnection[] };
        const seen = {
          framesDecoded: 0,
          packetsLost: 0,
          pliCount: 0,
          nackCount: 0,
          packetsReceived: 0,
          framesReceived: 0,
          framesDropped: 0,
          keyFramesDecoded: 0,
          bytesReceived: 0,
          firCount: 0,
        };
        for (const pc of w.peerConnections.filter((p) => p.connectionState === 'connected')) {
          (await pc.getStats()).forEach((r: Record<string, unknown>) => {
            if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
            for (const key of Object.keys(seen) as (keyof typeof seen)[]) seen[key] += Number(r[key] ?? 0);
          });
        }
        return seen;
      });
    const before = await received();
    await new Promise((r) => setTimeout(r, 3_000));
    const after_ = await received();
    // The clip runs at 15 fps: 45 frames in 3 s; a stalled decoder shows a handful at most.
    assert.ok(
      after_.framesDecoded - before.framesDecoded >= 15,
      `decoded ${after_.framesDecoded - before.framesDecoded} frames in 3 s: ${JSON.stringify({ before, after_ })}`,
    );
  });

  it('never calls getUserMedia, pushes nothing, and has no tile of its own', async () => {
    const seen = await page.evaluate(() => {
      const w = window as unknown as { peerConnections: RTCPeerConnection[]; getUserMediaCalls: number };
      const transceivers = w.peerConnections.flatMap((pc) => pc.getTransceivers());
      return {
        getUserMediaCalls: w.getUserMediaCalls,
        sending: transceivers.filter((t) => t.sender.track !== null).length,
        directions: transceivers.map((t) => t.currentDirection),
      };
    });
    assert.equal(seen.getUserMediaCalls, 0);
    assert.equal(seen.sending, 0);
    assert.ok(
      seen.directions.every((d) => d === 'recvonly' || d === 'inactive' || d === 'stopped' || d === null),
      String(seen.directions),
    );
    assert.equal(
      stack.localSfu!.stats().publications,
      2,
      "the SFU holds the host's camera and microphone only",
    );
    const snapshot = await page.evaluate(callRoomProbe);
    assert.equal(snapshot.local.length, 0, 'no self tile');
    assert.equal(snapshot.state, 'joined', 'the refused chat channel is no outage');
  });

  it('shows "N watching" and a bar of settings and leave only', async () => {
    const deadline = Date.now() + 5000;
    let ui = { watching: '', parts: [] as string[], viewer: false };
    while (Date.now() < deadline) {
      ui = await page.evaluate(() => {
        const room = document.querySelector('call-room')!;
        const controls = room.shadowRoot!.querySelector('call-controls')!;
        const buttons = [...controls.shadowRoot!.querySelectorAll('button')];
        return {
          watching: room.shadowRoot!.querySelector('[part~="watching"]')?.textContent?.trim() ?? '',
          parts: buttons.filter((b) => b.checkVisibility()).map((b) => b.getAttribute('part') ?? ''),
          viewer: room.matches(':state(viewer)') && controls.matches(':state(viewer)'),
        };
      });
      if (ui.watching === '3 watching') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(ui.watching, '3 watching', 'two presence viewers and this page');
    assert.deepEqual(ui.parts, ['settings', 'leave']);
    assert.equal(ui.viewer, true);
  });

  it('follows the audience: a viewer leaving lowers the count within about a second', async () => {
    // Timed from the close handshake's end; the count goes out at most once a second, so 5 s is generous.
    await audience.pop()!.close();
    const deadline = Date.now() + 5000;
    let text = '';
    while (Date.now() < deadline) {
      text = await page.evaluate(
        () =>
          document
            .querySelector('call-room')!
            .shadowRoot!.querySelector('[part~="watching"]')
            ?.textContent?.trim() ?? '',
      );
      if (text === '2 watching') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(text, '2 watching');
  });
});
