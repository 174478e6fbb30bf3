// Simulcast per tile and bandwidth caps, end to end: two <call-room> pages in Chromium (a 640×480 camera, so
// Chrome sends two layers) through the real call server and local SFU: a tile shrunk from 640 to 160 px decodes
// a smaller layer within 3 s and the full one once grown again; a tile off screen has its pull closed and
// reopened when it comes back. Then, in a browser whose camera needs all the bitrate it gets (grain),
// max-bitrate="300" keeps the camera under 330 kbps. (call-room-simulcast-resize.test.ts makes the same resize
// with a synthetic camera that always sends its layers: that one sees the layer choice alone.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { launchChromium } from '../support/browser.js';
import { joinFromPrejoin, presetCallRoomAttributes, waitForRoom } from '../support/call-room-probe.js';
import { chromiumArgsWithVgaClip } from '../support/chromium-flags.mjs';
import { startDemoStack } from '../support/demo-stack.js';

/** What the viewer page shows of the sender's camera, and how many cameras its connections receive. */
interface TileView {
  videoWidth: number;
  frames: number;
  receivingVideo: number;
}

/** Keeps every RTCPeerConnection the page makes in `window.peerConnections`. */
function recordPeerConnections(): void {
  const w = window as unknown as { peerConnections: RTCPeerConnection[] };
  w.peerConnections = [];
  window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      w.peerConnections.push(pc);
      return pc;
    },
  });
}

describe('<call-room> simulcast per tile and bandwidth caps', () => {
  let stack: DevStack;
  let browser: Browser;
  let sender: Page;
  let viewer: Page;
  let grainy: Browser | undefined;
  /** The layers the viewer asked for (`tracks/update`), with the time: told when an assertion fails. */
  const asked: string[] = [];

  /** Runs in the viewer page: styles the sender's tile (null leaves it), then reads it. */
  const tile = (style: Record<string, string> | null): Promise<TileView> =>
    viewer.evaluate((css) => {
      const room = document.querySelector('call-room')!;
      const el = [
        ...room.shadowRoot!.querySelectorAll<HTMLElement & { participant?: { isLocal: boolean } }>(
          'video-tile',
        ),
      ].find((t) => t.participant && !t.participant.isLocal && t.getAttribute('source') !== 'screen')!;
      if (css) Object.assign(el.style, css);
      const video = el.shadowRoot!.querySelector('video')!;
      const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
      const receivingVideo = pcs
        .filter((pc) => pc.connectionState !== 'closed')
        .flatMap((pc) => pc.getTransceivers())
        .filter((t) => t.receiver.track.kind === 'video' && t.currentDirection === 'recvonly').length;
      return {
        videoWidth: video.videoWidth,
        frames: video.getVideoPlaybackQuality().totalVideoFrames,
        receivingVideo,
      };
    }, style);

  async function until(test: (v: TileView) => boolean, what: string, ms: number): Promise<TileView> {
    const deadline = Date.now() + ms;
    let last = await tile(null);
    while (!test(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      last = await tile(null);
    }
    if (!test(last)) {
      const layers = await sentLayers(sender).catch((e: unknown) => String(e));
      assert.fail(
        `${what}: ${JSON.stringify(last)}; the sender sends ${JSON.stringify(layers)}; ` +
          `the viewer asked for ${asked.join(', ') || 'nothing'}`,
      );
    }
    return last;
  }

  /** Waits until the sender's camera sends layers (with frames coming) that pass `test`. */
  async function untilSending(
    test: (layers: { width: number }[]) => boolean,
    what: string,
    ms: number,
  ): Promise<void> {
    const deadline = Date.now() + ms;
    const sending = async () =>
      (await sentLayers(sender)).filter((l) => (l.fps ?? 0) >= 1).map((l) => ({ ...l, width: l.width ?? 0 }));
    let layers = await sending();
    while (!test(layers) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      layers = await sending();
    }
    assert.ok(test(layers), `${what}: ${JSON.stringify(await sentLayers(sender))}`);
  }

  /** The layers the page's camera sends now: each active RID's width, frame rate and what limits it. */
  const sentLayers = (page: Page) =>
    page.evaluate(async () => {
      const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
      const layers: { rid?: string; width?: number; fps?: number; limit?: string }[] = [];
      for (const pc of pcs.filter((p) => p.connectionState === 'connected')) {
        (await pc.getStats()).forEach(
          (r: {
            type: string;
            kind?: string;
            rid?: string;
            frameWidth?: number;
            framesPerSecond?: number;
            qualityLimitationReason?: string;
            active?: boolean;
          }) => {
            if (r.type !== 'outbound-rtp' || r.kind !== 'video' || r.active === false) return;
            layers.push({
              rid: r.rid,
              width: r.frameWidth,
              fps: r.framesPerSecond,
              limit: r.qualityLimitationReason,
            });
          },
        );
      }
      return layers;
    });

  /** The sender's outbound video: bytes sent (all layers), and its camera sender's encodings. */
  const outbound = (page: Page) =>
    page.evaluate(async () => {
      const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
      let bytes = 0;
      const encodings: { kind: string; active?: boolean; maxBitrate?: number; networkPriority?: string }[] =
        [];
      for (const pc of pcs.filter((p) => p.connectionState === 'connected')) {
        (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesSent?: number }) => {
          if (r.type === 'outbound-rtp' && r.kind === 'video') bytes += r.bytesSent ?? 0;
        });
        for (const s of pc.getSenders()) {
          if (!s.track) continue;
          for (const e of s.getParameters().encodings) encodings.push({ kind: s.track.kind, ...e });
        }
      }
      return { bytes, at: performance.now(), encodings };
    });

  async function videoKbps(page: Page, ms: number): Promise<number> {
    const first = await outbound(page);
    await new Promise((r) => setTimeout(r, ms));
    const second = await outbound(page);
    return ((second.bytes - first.bytes) * 8) / (second.at - first.at);
  }

  const forwarders = () => stack.localSfu!.stats().forwarders;

  /** A page of the demo, its <call-room> with these boolean attributes before it starts. */
  async function openPage(on: Browser, attributes: string[] = []): Promise<Page> {
    const page = await on.newPage();
    await page.addInitScript(recordPeerConnections);
    await presetCallRoomAttributes(page, attributes);
    await page.goto(`${stack.url}/`);
    return page;
  }

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium({ args: chromiumArgsWithVgaClip({ grain: true }) });
    // One camera in this browser (the viewer's is off, nobody's microphone is on), with grain: Chrome's bandwidth
    // estimate grows only while the camera uses it, and the top layer is sent at full size only once it has.
    sender = await openPage(browser, ['muted']);
    viewer = await openPage(browser, ['muted', 'camera-off']);
    viewer.on('request', (request) => {
      const body = request.url().includes('/tracks/update') ? request.postData() : null;
      const rid = body?.match(/"preferredRid":"(\w*)"/)?.[1];
      if (rid !== undefined) asked.push(`${rid} at ${Date.now()}`);
    });
    await joinFromPrejoin(sender, 'Sender');
    await waitForRoom(sender, (s) => s.state === 'joined', 'the sender joins', 20_000);
    await joinFromPrejoin(viewer, 'Viewer');
    await waitForRoom(
      viewer,
      (s) => s.remote.some((t) => t.name === 'Sender' && t.videoWidth > 0),
      'the viewer decodes the sender',
      20_000,
    );
  });

  after(async () => {
    await browser?.close();
    await grainy?.close();
    await stack?.close();
  });

  it('a tile shrunk from 640 to 160 px gets a smaller layer within 3 s, and the full one back when it grows', async () => {
    const size = (px: number) => ({ width: `${px}px`, height: `${(px * 3) / 4}px`, flex: 'none' });
    // Chrome sends the top layer at full size once its bandwidth estimate has grown (the clip's grain needs it).
    await tile(size(640));
    await untilSending((layers) => layers.some((l) => l.width >= 640), 'the camera sends 640 px', 45_000);
    const full = await until((v) => v.videoWidth >= 640, 'a 640 px tile shows the full layer', 15_000);
    // A call some seconds old: the sender has pulled the viewer's tracks, and each SFU offer since re-described
    // its camera. Those offers once left out its simulcast RIDs, and Chrome then sent a single layer.
    await new Promise((r) => setTimeout(r, 5_000));
    // A smaller layer to switch to. (On a loaded machine the SFU's feedback comes late, Chrome's bandwidth
    // estimate falls, and it may send only one layer for a while: nothing for the viewer to choose.)
    await untilSending(
      (layers) =>
        layers.some((l) => l.width < full.videoWidth) && layers.some((l) => l.width >= full.videoWidth),
      'the camera sends a smaller layer besides the full one',
      30_000,
    );
    const shrunk = Date.now();
    asked.push(`(shrunk at ${shrunk})`);
    await tile(size(160));
    const small = await until(
      (v) => v.videoWidth < full.videoWidth,
      'a 160 px tile decodes fewer pixels',
      3_000,
    );
    const shrinkMs = Date.now() - shrunk;
    const grown = Date.now();
    asked.push(`(grown at ${grown})`);
    await tile(size(640));
    // The bound counts from when the camera sends its full layer (it may have dropped it meanwhile, as above).
    // 15 s: a step up to a layer not sent is undone after 2.5 s and that layer left alone for 10 s.
    await untilSending(
      (layers) => layers.some((l) => l.width >= full.videoWidth),
      'the camera sends its full layer again',
      30_000,
    );
    await until((v) => v.videoWidth >= full.videoWidth, 'grown to 640 px again, the full layer', 15_000);
    console.log(
      `simulcast: 640 → 160 px: ${full.videoWidth} → ${small.videoWidth} px wide in ${shrinkMs} ms; ` +
        `back to ${full.videoWidth} in ${Date.now() - grown} ms; asked for ${asked.join(', ')}`,
    );
    await tile({ width: '', height: '', flex: '' });
  });

  it('closes the pull of a tile off screen for a few seconds, and pulls it again when it is back', async () => {
    // Counted once the viewer decodes the camera and the count holds still for 2 s: the sender's pulls of the
    // viewer's (silent, black) tracks may still be opening just after the join.
    const shown = await until((v) => v.receivingVideo === 1 && v.frames > 0, 'one camera received', 15_000);
    assert.equal(shown.receivingVideo, 1);
    let before = forwarders();
    for (let still = 0, waited = 0; still < 2_000 && waited < 20_000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      const now = forwarders();
      still = now === before ? still + 250 : 0;
      before = now;
    }
    const started = Date.now();
    await tile({ transform: 'translateY(-10000px)' });
    await until((v) => v.receivingVideo === 0, 'the hidden tile’s pull is closed', 20_000);
    const closedMs = Date.now() - started;
    const deadline = Date.now() + 5_000;
    while (forwarders() >= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(forwarders() < before, 'the SFU no longer forwards that camera to the viewer');
    await tile({ transform: '' });
    const back = await until((v) => v.receivingVideo === 1 && v.videoWidth > 0, 'pulled again', 30_000);
    await until((v) => v.frames > back.frames + 5, 'and decoded', 10_000);
    assert.ok(forwarders() >= before, 'the SFU forwards it again');
    console.log(`simulcast: a hidden tile's pull closed after ${closedMs} ms`);
  });

  it('max-bitrate="300" keeps the camera under 330 kbps over 10 s, the microphone goes first', async () => {
    await browser.close(); // its two cameras would only compete for the CPU
    grainy = await launchChromium({ args: chromiumArgsWithVgaClip({ grain: true }) });
    const page = await openPage(grainy);
    await joinFromPrejoin(page, 'Capped');
    await waitForRoom(page, (s) => s.local.some((t) => t.videoWidth > 0), 'the camera shows', 20_000);
    await new Promise((r) => setTimeout(r, 3_000)); // the bandwidth estimate ramps up
    const uncapped = await videoKbps(page, 4_000);
    await page.evaluate(() => document.querySelector('call-room')!.setAttribute('max-bitrate', '300'));
    await new Promise((r) => setTimeout(r, 2_000));
    const capped = await videoKbps(page, 10_000);
    const { encodings } = await outbound(page);
    const camera = encodings.filter((e) => e.kind === 'video');
    const caps = camera.reduce((sum, e) => sum + (e.active === false ? 0 : (e.maxBitrate ?? Infinity)), 0);
    console.log(
      `caps: camera ${uncapped.toFixed(0)} kbps uncapped, ${capped.toFixed(0)} kbps with max-bitrate=300`,
    );
    assert.ok(caps <= 300_000, `the encodings add up to at most 300 kbps: ${JSON.stringify(camera)}`);
    assert.equal(camera.length, 3, 'the same three layers: applied with setParameters, not renegotiated');
    assert.ok(capped > 20, `the camera still sends: ${capped} kbps`);
    assert.ok(capped < 330, `the camera sent ${capped} kbps`);
    const mic = encodings.find((e) => e.kind === 'audio');
    assert.equal(mic?.networkPriority, 'high');
  });
});
