// The stage, end to end: six synthetic publishers (werift peers with presence sockets, through the real call
// server and local SFU) and one <call-room max-video="2"> in Chromium. The page pulls exactly two cameras; when
// an off-stage publisher announces that it speaks, it takes the place of the least recent speaker within 2 s,
// and the page still pulls two.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { launchChromium } from '../support/browser.js';
import { joinFromPrejoin, waitForRoom } from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';
import { PresenceTestClient } from '../support/presence-test-client.js';
import { SyntheticPublisher } from '../support/werift-peers.js';

const PUBLISHERS = 6;

interface Synthetic {
  readonly name: string;
  readonly presence: PresenceTestClient;
  readonly publisher: SyntheticPublisher;
}

/** What the page's <call-room> puts on the stage, and how many cameras its peer connections receive. */
interface StageView {
  onStage: string[];
  offStage: string[];
  receivingVideo: number;
}

describe('<call-room> stage: max-video="2" among six publishers', () => {
  let stack: DevStack;
  let browser: Browser;
  let page: Page;
  const people: Synthetic[] = [];

  async function tokenFor(name: string): Promise<string> {
    const response = await fetch(`${stack.url}/api/call-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ room: 'standup', name }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  async function synthetic(name: string): Promise<Synthetic> {
    const token = await tokenFor(name);
    const presence = await PresenceTestClient.join(stack.url, 'standup', stack.url, token);
    const publisher = await SyntheticPublisher.create(
      { base: `${stack.url}/partytracks`, headers: { authorization: `Bearer ${token}` }, cookies: new Map() },
      400,
    );
    publisher.start(30);
    const { sessionId, trackName } = publisher;
    presence.send({ v, type: 'publish', track: { sessionId, trackName, kind: 'video', source: 'camera' } });
    presence.send({ v, type: 'update-state', state: { cameraOn: true, micOn: false } });
    await presence.roundTrip();
    return { name, presence, publisher };
  }

  const view = (): Promise<StageView> =>
    page.evaluate(() => {
      const room = document.querySelector('call-room') as unknown as {
        participants: { name: string; isLocal: boolean; onStage: boolean }[];
      };
      const remote = room.participants.filter((p) => !p.isLocal);
      const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
      const receivingVideo = pcs
        .filter((pc) => pc.connectionState !== 'closed')
        .flatMap((pc) => pc.getTransceivers())
        .filter((t) => t.receiver.track.kind === 'video' && t.currentDirection === 'recvonly').length;
      return {
        onStage: remote.filter((p) => p.onStage).map((p) => p.name),
        offStage: remote.filter((p) => !p.onStage).map((p) => p.name),
        receivingVideo,
      };
    });

  async function until(test: (s: StageView) => boolean, what: string, ms: number): Promise<StageView> {
    const deadline = Date.now() + ms;
    let last = await view();
    while (!test(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      last = await view();
    }
    assert.ok(test(last), `${what}: ${JSON.stringify(last)}`);
    return last;
  }

  before(async () => {
    stack = await startDemoStack();
    for (let i = 0; i < PUBLISHERS; i++) people.push(await synthetic(`Synthetic ${i}`));
    browser = await launchChromium();
    page = await browser.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { peerConnections: RTCPeerConnection[] };
      w.peerConnections = [];
      window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
        construct(target, args, newTarget) {
          const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
          w.peerConnections.push(pc);
          return pc;
        },
      });
    });
    await page.goto(`${stack.url}/`);
    await page.evaluate(() => document.querySelector('call-room')!.setAttribute('max-video', '2'));
    await joinFromPrejoin(page, 'Viewer');
    await waitForRoom(page, (s) => s.state === 'joined', 'the page joins', 20_000);
  });

  after(async () => {
    await browser?.close();
    for (const p of people) {
      await p.publisher.close().catch(() => undefined);
      p.presence.ws.close();
    }
    await stack?.close();
  });

  it('pulls exactly two cameras: the SFU forwards two, the page receives two', async () => {
    const first = await until(
      (s) => s.onStage.length === 2 && s.receivingVideo === 2,
      'two on the stage, two cameras received',
      15_000,
    );
    assert.deepEqual(first.onStage, ['Synthetic 0', 'Synthetic 1'], 'the earliest joined fill the stage');
    assert.equal(first.offStage.length, PUBLISHERS - 2);
    assert.equal(stack.localSfu!.stats().forwarders, 2, 'the SFU forwards two cameras to the page');
  });

  it('brings a speaker onto the stage within 2 s in the least recent speaker’s place, still pulling two', async () => {
    const speaker = people[4];
    const started = Date.now();
    speaker.presence.send({ v, type: 'update-state', state: { speaking: true } });
    const after = await until((s) => s.onStage.includes(speaker.name), 'the speaker is on the stage', 2_000);
    const tookMs = Date.now() - started;
    assert.equal(after.onStage.length, 2, 'still two on the stage');
    assert.ok(after.onStage.includes('Synthetic 0'), 'Synthetic 1 (joined later) gave up its place');
    await until((s) => s.receivingVideo === 2, 'the page still receives two cameras', 5_000);
    // The old pull's close reaches the SFU a moment after the new pull: wait for it rather than race it.
    const deadline = Date.now() + 5_000;
    while (stack.localSfu!.stats().forwarders !== 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(stack.localSfu!.stats().forwarders, 2, 'the old pull was closed at the SFU');
    console.log(`stage: a speaker entered in ${tookMs} ms`);
  });
});
