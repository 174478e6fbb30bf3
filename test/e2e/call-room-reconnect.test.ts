// A media connection that dies mid-call, on the real stack: partytracks opens a new peer connection and SFU
// session and re-pushes every track; the publisher must announce the new session over presence, and the
// other page must drop its dead pull and pull the new one, so both pages show each other's video again.
//
// The viewer joins second on purpose: it pulls the publisher before it publishes, so those pulls sit on its
// BUNDLE-tag m-line (mid 0). Re-pulling closes mid 0 and pulls again at once, so Chrome switches the
// viewer's transport while the SFU makes its offer for the new pull (test/e2e/sfu-bundle-tag.test.ts has
// the SFU-level case).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { startDemoStack } from '../support/demo-stack.js';
import { launchChromium } from '../support/browser.js';
import { waitForRoom, joinFromPrejoin, presetCallRoomAttributes } from '../support/call-room-probe.js';

interface Announced {
  source: string;
  sessionId: string;
  trackName: string;
}

/** What the init script records in each page. */
interface Recorder {
  callErrors: string[];
  /** Every `call-state-change`, with the ms since the page loaded: to tell why a failing run was stuck. */
  states: string[];
  /** The `track` of every presence `publish` frame the page sent, in order. */
  publishes: Announced[];
  peerConnections: RTCPeerConnection[];
}

async function open(
  browser: Browser,
  url: string,
  pageErrors: string[],
  attributes: string[] = [],
): Promise<Page> {
  const page = await browser.newPage();
  await presetCallRoomAttributes(page, attributes);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.addInitScript(() => {
    const w = window as unknown as Recorder;
    w.callErrors = [];
    w.states = [];
    document.addEventListener('call-state-change', (e) =>
      w.states.push(`${Math.round(performance.now())} ${(e as CustomEvent).detail.state}`),
    );
    w.publishes = [];
    w.peerConnections = [];
    document.addEventListener('call-error', (e) => w.callErrors.push((e as CustomEvent).detail.code));
    // Presence frames are JSON text: keep the publish announcements.
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data) {
      if (typeof data === 'string') {
        const message = JSON.parse(data) as { type?: string; track?: Announced };
        if (message.type === 'publish' && message.track) w.publishes.push(message.track);
      }
      send.call(this, data);
    };
    // Nothing public exposes the session's peer connection: record every one the page creates.
    window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
      construct(target, args, newTarget) {
        const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
        w.peerConnections.push(pc);
        return pc;
      },
    });
  });
  await page.goto(url);
  await joinFromPrejoin(page);
  return page;
}

const publishes = (page: Page) => page.evaluate(() => (window as unknown as Recorder).publishes);
const callErrors = (page: Page) => page.evaluate(() => (window as unknown as Recorder).callErrors);

/** The one remote participant's camera track id, as the page's <call-room> holds it. */
const remoteCameraTrackId = (page: Page) =>
  page.evaluate(() => {
    const room = document.querySelector('call-room') as unknown as {
      participants: { isLocal: boolean; video: { camera?: MediaStreamTrack } }[];
    };
    return room.participants.find((p) => !p.isLocal)?.video.camera?.id;
  });

/** Polls `read` until `done` holds or 15 s pass; returns the last value. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/**
 * Counts the frames a tile's <video> presents from the track `trackId` (requestVideoFrameCallback), from now
 * until `wanted` frames or 15 s: only a track with media flowing now can pass.
 */
const presentedFrames = (page: Page, trackId: string, wanted: number) =>
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  page.evaluate(
    async ([trackId, wanted]) => {
      const deadline = performance.now() + 15_000;
      let video: HTMLVideoElement | undefined;
      while (!video && performance.now() < deadline) {
        video = [...document.querySelector('call-room')!.shadowRoot!.querySelectorAll('video-tile')]
          .map((tile) => tile.shadowRoot?.querySelector('video') ?? undefined)
          .find((v) => (v?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id === trackId);
        if (!video) await new Promise((r) => setTimeout(r, 50));
      }
      if (!video) return { attached: false, frames: 0, width: 0 };
      const element = video;
      let frames = 0;
      while (frames < wanted && performance.now() < deadline) {
        const presented = await Promise.race([
          new Promise<boolean>((resolve) => element.requestVideoFrameCallback(() => resolve(true))),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), deadline - performance.now())),
        ]);
        if (presented) frames++;
      }
      return { attached: true, frames, width: element.videoWidth };
    },
    [trackId, wanted] as const,
  );

describe('<call-room> end to end: the media connection drops and comes back', () => {
  let stack: DevStack;
  let browser: Browser;
  let publisher: Page;
  let viewer: Page;
  const pageErrors: string[] = [];
  /** Each page's remote camera track before the fault. */
  const tracksBefore = new Map<Page, string>();

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    // The publisher joins and publishes first, so the viewer's pulls of it are its mid 0 (see the header).
    publisher = await open(browser, `${stack.url}/`, pageErrors);
    const both = (list: Announced[]) =>
      ['camera', 'microphone'].every((source) => list.some((t) => t.source === source));
    assert.ok(both(await poll(() => publishes(publisher), both)), 'the publisher published alone first');
    // Connected on Join, not on the pre-join screen: an early connection's DataChannel would take mid 0.
    viewer = await open(browser, `${stack.url}/`, pageErrors, ['connect-on-join']);
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('before the fault, each page decodes the other’s video', async () => {
    for (const [page, name] of [
      [viewer, 'viewer'],
      [publisher, 'publisher'],
    ] as const) {
      await waitForRoom(
        page,
        (s) =>
          s.state === 'joined' &&
          s.remote.length === 1 &&
          s.remote[0].videoWidth > 0 &&
          s.remote[0].frames > 0 &&
          !s.remote[0].trackMuted,
        `the ${name} plays the other's video`,
        15_000,
      );
      const track = await remoteCameraTrackId(page);
      assert.ok(track, `the ${name} holds a remote camera track`);
      const shown = await presentedFrames(page, track, 10);
      assert.deepEqual([shown.attached, shown.frames], [true, 10], `the ${name}'s remote frames advance`);
      tracksBefore.set(page, track);
    }
    // Pushes are sendonly, so the receive-only m-lines are the viewer's pulls.
    const pulledMids = await viewer.evaluate(() =>
      (window as unknown as Recorder).peerConnections
        .flatMap((pc) => pc.getTransceivers())
        .filter((t) => t.currentDirection === 'recvonly')
        .map((t) => t.mid),
    );
    assert.ok(pulledMids.includes('0'), `the viewer's pulls sit on mid 0: ${JSON.stringify(pulledMids)}`);
  });

  it('closing the publisher’s peer connection re-announces its tracks under a new session', async () => {
    const announced = await publishes(publisher);
    const camera = announced.filter((t) => t.source === 'camera').at(-1);
    const microphone = announced.filter((t) => t.source === 'microphone').at(-1);
    assert.ok(camera && microphone, `camera and microphone announced: ${JSON.stringify(announced)}`);

    const closed = await publisher.evaluate(() => {
      const live = (window as unknown as Recorder).peerConnections.filter(
        (pc) => pc.connectionState !== 'closed',
      );
      // close() fires no event of its own; partytracks reads connectionState on connectionstatechange.
      for (const pc of live) {
        pc.close();
        pc.dispatchEvent(new Event('connectionstatechange'));
      }
      return live.length;
    });
    assert.equal(closed, 1, 'the page had one live peer connection: the call session’s');

    const fresh = (list: Announced[], source: string) =>
      list.find((t) => t.source === source && t.sessionId !== camera.sessionId);
    const later = await poll(
      () => publishes(publisher).then((all) => all.slice(announced.length)),
      (list) => !!fresh(list, 'camera') && !!fresh(list, 'microphone'),
    );
    const newCamera = fresh(later, 'camera');
    const newMicrophone = fresh(later, 'microphone');
    assert.ok(newCamera, `the camera is announced under a new session: ${JSON.stringify(later)}`);
    assert.ok(newMicrophone, `the microphone is announced under a new session: ${JSON.stringify(later)}`);
    assert.equal(newMicrophone.sessionId, newCamera.sessionId, 'both tracks moved to the one new session');
  });

  /** `page` pulled a new camera track after the fault and presents its frames. */
  async function expectRepulledCamera(page: Page, who: string) {
    const track = await poll(
      () => remoteCameraTrackId(page),
      (id) => !!id && id !== tracksBefore.get(page),
    );
    assert.ok(track && track !== tracksBefore.get(page), `the ${who} pulled a new camera track`);
    const shown = await presentedFrames(page, track, 15);
    assert.deepEqual([shown.attached, shown.frames], [true, 15], 'the new track’s frames are presented');
    assert.ok(shown.width > 0, 'with a decoded picture');
  }

  it('the viewer re-pulls the publisher’s camera and decodes it again', async () => {
    await expectRepulledCamera(viewer, 'viewer');
  });

  it('the publisher re-pulls the viewer’s camera too', async () => {
    await expectRepulledCamera(publisher, 'publisher');
  });

  it('both pages stay joined with no call-error and no page error', async () => {
    for (const page of [publisher, viewer]) {
      const states = () => page.evaluate(() => (window as unknown as Recorder).states);
      await waitForRoom(page, (s) => s.state === 'joined' && s.remote.length === 1, 'joined', 5_000).catch(
        async (error: Error) => assert.fail(`${error.message}; states: ${(await states()).join(', ')}`),
      );
      assert.deepEqual(await callErrors(page), [], 'no call-error');
    }
    assert.deepEqual(pageErrors, [], 'no page errors');
  });
});
