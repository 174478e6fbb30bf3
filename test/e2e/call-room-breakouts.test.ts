// Breakout rooms end to end, on the same PeerConnection: two Chromium pages (<call-room>, fake camera; one
// holds a host token) and two synthetic werift publishers with presence sockets, through the real call server
// and local SFU. The host opens two rooms of two (the pages together, the synthetic peers together), then
// closes them; one page is moved back and forth ten times. Throughout: one RTCPeerConnection per page, no
// sessions/new, pulls that follow the room, 403 for a pull across rooms, and nothing left behind at the SFU.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DevStack } from '../../server/node/dev-stack.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { launchChromium } from '../support/browser.js';
import {
  callRoomProbe,
  joinFromPrejoin,
  waitForRoom,
  type RoomSnapshot,
} from '../support/call-room-probe.js';
import { startDemoStack } from '../support/demo-stack.js';
import { PresenceTestClient } from '../support/presence-test-client.js';
import { SyntheticPublisher, sfuRequest, type SfuApi } from '../support/werift-peers.js';

// The demo page's room.
const ROOM = 'standup';

interface Synthetic {
  readonly name: string;
  readonly id: string;
  readonly api: SfuApi;
  readonly presence: PresenceTestClient;
  readonly publisher: SyntheticPublisher;
}

/** What the page's init script records: every RTCPeerConnection, sessions/new calls, the proxy's headers. */
interface PageProbe {
  /** Not closed. */
  peerConnections: number;
  sameAsFirst: boolean;
  sessionsNew: number;
}

describe('<call-room> breakout rooms on the same PeerConnection', () => {
  let stack: DevStack;
  let browser: Browser;
  let host: Page;
  let bea: Page;
  const synthetics: Synthetic[] = [];
  const ids = new Map<string, string>();

  async function tokenFor(name: string): Promise<string> {
    const response = await fetch(`${stack.url}/api/call-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ room: ROOM, name }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  async function synthetic(name: string): Promise<Synthetic> {
    const token = await tokenFor(name);
    const presence = await PresenceTestClient.join(stack.url, ROOM, stack.url, token);
    const api: SfuApi = {
      base: `${stack.url}/partytracks`,
      headers: { authorization: `Bearer ${token}` },
      cookies: new Map(),
    };
    const publisher = await SyntheticPublisher.create(api, 300);
    publisher.start(20);
    const { sessionId, trackName } = publisher;
    presence.send({ v, type: 'publish', track: { sessionId, trackName, kind: 'video', source: 'camera' } });
    presence.send({ v, type: 'update-state', state: { cameraOn: true } });
    await presence.roundTrip();
    const id = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string;
    return { name, id, api, presence, publisher };
  }

  async function openPage(name: string, role?: 'host'): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as {
        probe: {
          pcs: RTCPeerConnection[];
          sessionsNew: number;
          headers?: Record<string, string>;
          sid?: string;
        };
      };
      w.probe = { pcs: [], sessionsNew: 0 };
      window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
        construct(target, args, newTarget) {
          const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
          w.probe.pcs.push(pc);
          return pc;
        },
      });
      const realFetch = window.fetch.bind(window);
      window.fetch = (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (url.includes('/partytracks/sessions/new')) w.probe.sessionsNew++;
        const session = /\/partytracks\/sessions\/([A-Za-z0-9_-]+)\//.exec(url);
        if (session && session[1] !== 'new') {
          w.probe.sid = session[1];
          w.probe.headers = Object.fromEntries(new Headers(init?.headers).entries());
        }
        return realFetch(input, init);
      };
    });
    await page.goto(`${stack.url}/`);
    if (role) {
      await page.evaluate(() =>
        document.querySelector('call-room')!.setAttribute('token-endpoint', '/api/call-token?role=host'),
      );
    }
    await joinFromPrejoin(page, name);
    await waitForRoom(page, (s) => s.state === 'joined' && s.local.length > 0, `${name} joins`, 30_000);
    return page;
  }

  const probe = (page: Page): Promise<PageProbe> =>
    page.evaluate(() => {
      const w = window as unknown as {
        probe: { pcs: RTCPeerConnection[]; sessionsNew: number; joined?: RTCPeerConnection };
      };
      // The pre-join screen's connection is closed when the join needs a new one (a new name): not counted.
      const live = w.probe.pcs.filter((pc) => pc.connectionState !== 'closed');
      w.probe.joined ??= live[0];
      return {
        peerConnections: live.length,
        sameAsFirst:
          live.length === 1 && live[0] === w.probe.joined && live[0].connectionState === 'connected',
        sessionsNew: w.probe.sessionsNew,
      };
    });

  /** Calls a breakout action on the page's <call-room>. */
  const act = (page: Page, action: string, ...args: unknown[]) =>
    page.evaluate(
      ([name, rest]) => {
        const room = document.querySelector('call-room') as unknown as {
          breakouts: Record<string, (...a: unknown[]) => void>;
        };
        room.breakouts[name as string]!(...(rest as unknown[]));
      },
      [action, args] as const,
    );

  const currentRoom = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const room = document.querySelector('call-room') as unknown as {
            breakouts: { current$: { subscribe(f: (p: { id: string }) => void): { unsubscribe(): void } } };
          };
          const sub = room.breakouts.current$.subscribe((place) => {
            resolve(place.id);
            queueMicrotask(() => sub.unsubscribe());
          });
        }),
    );

  /** The remote tiles' names, and whether each decodes (a width, and frames advancing over 400 ms). */
  async function remotes(page: Page): Promise<Map<string, { decoding: boolean; receiving: boolean }>> {
    const first = await page.evaluate(callRoomProbe);
    await new Promise((r) => setTimeout(r, 400));
    const second = await page.evaluate(callRoomProbe);
    const byName = (s: RoomSnapshot) => new Map(s.remote.map((t) => [t.name, t]));
    const before = byName(first);
    return new Map(
      [...byName(second)].map(([name, tile]) => [
        name,
        {
          decoding: tile.videoWidth > 0 && tile.frames > (before.get(name)?.frames ?? Infinity),
          receiving: !tile.trackMuted,
        },
      ]),
    );
  }

  /** Waits until the page shows exactly `decoding` (decoded) and `receiving` (media arriving) remotes. */
  async function untilSees(
    page: Page,
    what: string,
    decoding: string[],
    receiving: string[] = [],
    ms = 40_000,
  ) {
    const deadline = Date.now() + ms;
    let last = new Map<string, { decoding: boolean; receiving: boolean }>();
    const matches = () =>
      [...last.keys()].sort().join() === [...decoding, ...receiving].sort().join() &&
      decoding.every((name) => last.get(name)?.decoding) &&
      receiving.every((name) => last.get(name)?.receiving);
    while (Date.now() < deadline) {
      last = await remotes(page);
      if (matches()) return;
    }
    const pcs = await page.evaluate(() =>
      (window as unknown as { probe: { pcs: RTCPeerConnection[] } }).probe.pcs.map(
        (pc) => pc.connectionState,
      ),
    );
    const { sessions, transceivers, forwarders } = sfu();
    assert.fail(
      `${what}: ${JSON.stringify({ seen: [...last], pcs, sfu: { sessions, transceivers, forwarders } })}`,
    );
  }

  /** A pull of someone else's track, sent by hand from a page with its own session and headers. */
  const pullByHand = (page: Page, sessionId: string, trackName: string) =>
    page.evaluate(
      async ([sessionId, trackName]) => {
        const w = window as unknown as { probe: { sid: string; headers: Record<string, string> } };
        const response = await fetch(`/partytracks/sessions/${w.probe.sid}/tracks/new`, {
          method: 'POST',
          headers: { ...w.probe.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ tracks: [{ location: 'remote', sessionId, trackName }] }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
      [sessionId, trackName] as const,
    );

  const sfu = () => stack.localSfu!.stats();

  before(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    host = await openPage('Hana', 'host');
    bea = await openPage('Bea');
    synthetics.push(await synthetic('Sam'), await synthetic('Sia'));
    for (const page of [host, bea]) {
      const list = await page.evaluate(() =>
        (
          document.querySelector('call-room') as unknown as { participants: { id: string; name: string }[] }
        ).participants.map((p) => [p.name, p.id] as const),
      );
      for (const [name, id] of list) ids.set(name, id);
    }
    for (const s of synthetics) ids.set(s.name, s.id);
    await untilSees(
      host,
      'before: the host decodes Bea and receives the synthetic peers',
      ['Bea'],
      ['Sam', 'Sia'],
    );
  });

  after(async () => {
    await browser?.close();
    for (const s of synthetics) {
      await s.publisher.close().catch(() => undefined);
      s.presence.ws.close();
    }
    await stack?.close();
  });

  it('opens two rooms of two, pulls only the partner, refuses a pull across rooms, and closes', async () => {
    const before = { host: await probe(host), bea: await probe(bea), sessions: sfu().sessions };
    for (const p of [before.host, before.bea])
      assert.deepEqual(p, { ...p, peerConnections: 1, sameAsFirst: true });

    await act(host, 'create', ['Red', 'Blue']);
    for (const name of ['Hana', 'Bea']) await act(host, 'assign', ids.get(name), 'room-1');
    for (const name of ['Sam', 'Sia']) await act(host, 'assign', ids.get(name), 'room-2');
    await act(host, 'open', 2);
    // Bea doesn't wait for the countdown; the host does.
    await act(bea, 'joinNow');
    await untilSees(bea, 'Bea alone in Red before it opens', [], [], 20_000);
    await untilSees(host, 'open: the host decodes only Bea', ['Bea'], [], 40_000);
    await untilSees(bea, 'open: Bea decodes only the host', ['Hana'], [], 40_000);
    assert.equal(await currentRoom(host), 'room-1');
    const sam = synthetics[0]!;
    await sam.presence.next('breakout-moved', 5_000);

    // A pull of the other room's track, by hand, either way: 403 with an error body.
    const refused = await pullByHand(host, sam.publisher.sessionId, sam.publisher.trackName);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.errorCode, 'not_in_room');
    assert.equal(typeof refused.body.errorDescription, 'string');
    const hostTrack = await host.evaluate(() => {
      const room = document.querySelector('call-room') as unknown as {
        participants: { isLocal: boolean; video: { camera?: MediaStreamTrack } }[];
      };
      return room.participants.some((p) => p.isLocal && p.video.camera);
    });
    assert.ok(hostTrack, 'the host still publishes its camera');
    const { sessionId: samSession } = sam.publisher;
    const samPull = await sfuRequest(sam.api, 'POST', `/sessions/${samSession}/tracks/new`, {
      tracks: [
        {
          location: 'remote',
          sessionId: await host.evaluate(() => (window as never as { probe: { sid: string } }).probe.sid),
          trackName: 'x',
        },
      ],
    });
    assert.equal(samPull.status, 403);

    await act(host, 'close', 1);
    await untilSees(
      host,
      'closed: the host decodes Bea and receives everyone',
      ['Bea'],
      ['Sam', 'Sia'],
      40_000,
    );
    await untilSees(
      bea,
      'closed: Bea decodes the host and receives everyone',
      ['Hana'],
      ['Sam', 'Sia'],
      40_000,
    );
    assert.equal(await currentRoom(bea), 'main');

    const afterwards = { host: await probe(host), bea: await probe(bea), sessions: sfu().sessions };
    assert.deepEqual(
      { host: afterwards.host, bea: afterwards.bea },
      { host: before.host, bea: before.bea },
      'same PeerConnection, no sessions/new',
    );
    // Fewer is fine: the pre-join screens' connections, closed by the pages, may still be leaving the SFU.
    assert.ok(afterwards.sessions <= before.sessions, `no new SFU session: ${JSON.stringify(afterwards)}`);
  });

  it('moves one participant back and forth ten times, and leaves nothing behind at the SFU', async () => {
    await act(host, 'open', 0);
    await untilSees(bea, 'Bea with the host in Red', ['Hana'], [], 40_000);
    const liveTransceivers = () =>
      bea.evaluate(() =>
        (window as unknown as { probe: { pcs: RTCPeerConnection[] } }).probe.pcs
          .find((pc) => pc.connectionState !== 'closed')!
          .getTransceivers()
          .filter((t) => t.direction !== 'stopped' && t.currentDirection !== 'stopped')
          .map((t) => `${t.receiver.track.kind}/${t.currentDirection}`)
          .sort(),
      );
    const baseline = sfu();
    const before = await probe(bea);
    const beaBefore = await liveTransceivers();
    const timings: number[] = [];
    const mLines: number[] = [];
    for (let i = 0; i < 10; i++) {
      const toBlue = i % 2 === 0;
      const started = Date.now();
      await act(host, 'assign', ids.get('Bea'), toBlue ? 'room-2' : 'room-1');
      if (toBlue) await untilSees(bea, `move ${i + 1}: Bea in Blue`, [], ['Sam', 'Sia']);
      else await untilSees(bea, `move ${i + 1}: Bea back in Red`, ['Hana']);
      timings.push(Date.now() - started);
      mLines.push(sfu().transceivers);
    }
    console.log(`breakouts: ten moves, each shown in ${timings.join(', ')} ms`);
    assert.deepEqual(await probe(bea), before, 'one PeerConnection and no sessions/new across ten moves');
    // Closes reach the SFU a moment after the new pulls: wait for the gauges rather than race them.
    const deadline = Date.now() + 15_000;
    const gauges = () => ({ forwarders: sfu().forwarders, sessions: sfu().sessions });
    const expected = { forwarders: baseline.forwarders, sessions: baseline.sessions };
    while (JSON.stringify(gauges()) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(gauges(), expected, 'no forwarder or session left behind');
    assert.deepEqual(await liveTransceivers(), beaBefore, "Bea's page keeps no transceiver of an old room");
    // A closed pull's m-line stays (stopped) until a later pull recycles it: the count levels off rather than
    // growing with every move.
    const settled = Math.max(...mLines.slice(2, 6));
    assert.ok(
      Math.max(...mLines.slice(6)) <= settled,
      `m-lines level off: ${baseline.transceivers} before, then ${mLines.join(', ')}`,
    );
    console.log(`breakouts: SFU m-lines ${baseline.transceivers} before, then ${mLines.join(', ')}`);
    await act(host, 'close', 0);
    await untilSees(host, 'everyone back in the main room', ['Bea'], ['Sam', 'Sia'], 40_000);
  });
});
