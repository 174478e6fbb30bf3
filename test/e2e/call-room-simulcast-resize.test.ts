// Simulcast per tile, end to end: a <call-room> in Chromium pulls a camera that sends two H.264 layers (384 and
// 192 px wide, a synthetic werift publisher in the room, through the real call server and local SFU). Shrinking
// the tile from 640 to 160 px decodes the smaller layer within 3 s; growing it back brings the full one.
//
// The camera is synthetic on purpose: a browser's own simulcast follows its bandwidth estimate and its CPU, and
// on a loaded machine Chrome may send one scaled-down layer, with nothing to switch to. Here every layer always
// flows, and the test sees the subscriber's choice alone (call-room-simulcast.test.ts resizes with real Chrome).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { launchChromium } from '../support/browser.js';
import { joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';
import { PresenceTestClient } from '../support/presence-test-client.js';
import { H264SimulcastPublisher } from '../support/werift-h264-simulcast.js';

const FULL = { rid: 'f', width: 384, height: 288 };
const HALF = { rid: 'h', width: 192, height: 144 };

describe('<call-room> simulcast: the layer follows the tile size', () => {
  let stack: DevStack;
  let browser: Browser;
  let viewer: Page;
  let presence: PresenceTestClient;
  let camera: H264SimulcastPublisher;
  /** The layers the viewer asked for (`tracks/update`), with the time: told when an assertion fails. */
  const asked: string[] = [];

  /** Styles the camera's tile in the viewer (null leaves it), then answers the width it decodes. */
  const tile = (style: Record<string, string> | null): Promise<number> =>
    viewer.evaluate((css) => {
      const room = document.querySelector('call-room')!;
      const el = [
        ...room.shadowRoot!.querySelectorAll<HTMLElement & { participant?: { isLocal: boolean } }>(
          'video-tile',
        ),
      ].find((t) => t.participant && !t.participant.isLocal)!;
      if (css) Object.assign(el.style, css);
      return el.shadowRoot!.querySelector('video')!.videoWidth;
    }, style);

  async function untilWidth(test: (width: number) => boolean, what: string, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    let width = await tile(null);
    while (!test(width) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      width = await tile(null);
    }
    assert.ok(test(width), `${what}: decoding ${width} px wide; asked for ${asked.join(', ') || 'nothing'}`);
    return width;
  }

  const size = (px: number) => ({ width: `${px}px`, height: `${(px * 3) / 4}px`, flex: 'none' });

  before(async () => {
    stack = await startDemoStack();
    const response = await fetch(`${stack.url}/api/call-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ room: 'standup', name: 'Camera' }),
    });
    const { token } = (await response.json()) as { token: string };
    presence = await PresenceTestClient.join(stack.url, 'standup', stack.url, token);
    camera = await H264SimulcastPublisher.create(
      { base: `${stack.url}/partytracks`, headers: { authorization: `Bearer ${token}` }, cookies: new Map() },
      [FULL, HALF],
    );
    camera.start();
    const { sessionId, trackName } = camera;
    presence.send({ v, type: 'publish', track: { sessionId, trackName, kind: 'video', source: 'camera' } });
    presence.send({ v, type: 'update-state', state: { cameraOn: true, micOn: false } });
    await presence.roundTrip();

    browser = await launchChromium();
    viewer = await browser.newPage();
    viewer.on('request', (request) => {
      const body = request.url().includes('/tracks/update') ? request.postData() : null;
      const rid = body?.match(/"preferredRid":"(\w*)"/)?.[1];
      if (rid !== undefined) asked.push(`${rid} at ${Date.now()}`);
    });
    await viewer.goto(`${stack.url}/`);
    await viewer.evaluate(() => {
      const room = document.querySelector('call-room')!;
      room.setAttribute('muted', '');
      room.setAttribute('camera-off', '');
    });
    await joinFromPrejoin(viewer, 'Viewer');
    await waitForRoom(
      viewer,
      (s) => s.remote.some((t) => t.name === 'Camera' && t.videoWidth > 0),
      'the viewer decodes the camera',
      20_000,
    );
  });

  after(async () => {
    await browser?.close();
    await camera?.close().catch(() => undefined);
    presence?.ws.close();
    await stack?.close();
  });

  it('a tile shrunk from 640 to 160 px decodes the smaller layer within 3 s, and the full one when it grows', async () => {
    await tile(size(640));
    await untilWidth((w) => w === FULL.width, 'a 640 px tile shows the full layer', 15_000);
    // The call ages first: the old failure came only a few seconds into a call.
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(await tile(null), FULL.width, `still the full layer; asked for ${asked.join(', ')}`);

    const shrunk = Date.now();
    asked.push(`(shrunk at ${shrunk})`);
    await tile(size(160));
    await untilWidth((w) => w === HALF.width, 'a 160 px tile decodes the half layer', 3_000);
    const shrinkMs = Date.now() - shrunk;

    const grown = Date.now();
    asked.push(`(grown at ${grown})`);
    await tile(size(640));
    await untilWidth((w) => w === FULL.width, 'grown to 640 px again, the full layer', 5_000);
    console.log(
      `simulcast: 640 → 160 px: ${FULL.width} → ${HALF.width} px in ${shrinkMs} ms; back in ${Date.now() - grown} ms`,
    );
  });
});
