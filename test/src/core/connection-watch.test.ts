import { expect } from '@open-wc/testing';
import type { PartyTracks } from 'partytracks/client';
import { Subject, type Subscription } from 'rxjs';
import { watchConnection, type ConnectionWatch } from '../../../src/core/connection-watch.js';

class FakePartyTracks {
  readonly session$ = new Subject<{ peerConnection: RTCPeerConnection; sessionId: string }>();
  readonly peerConnectionState$ = new Subject<RTCPeerConnectionState>();
}

/** A real, unconnected peer connection whose `getStats()` calls are counted. */
function countedPeerConnection(): { pc: RTCPeerConnection; calls: () => number } {
  const pc = new RTCPeerConnection();
  let calls = 0;
  const getStats = pc.getStats.bind(pc);
  pc.getStats = ((...args: Parameters<RTCPeerConnection['getStats']>) => {
    calls++;
    return getStats(...args);
  }) as RTCPeerConnection['getStats'];
  return { pc, calls: () => calls };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchConnection', () => {
  let partyTracks: FakePartyTracks;
  let connected$: Subject<RTCPeerConnection | undefined>;
  let sessions: { peerConnection: RTCPeerConnection; sessionId: string }[];
  let states: RTCPeerConnectionState[];
  let levels: Map<string, number>[];
  let watch: Subscription;
  const opened: RTCPeerConnection[] = [];

  const callbacks: ConnectionWatch = {
    session: (session) => sessions.push(session),
    connectionState: (state) => states.push(state),
    levels: (l) => levels.push(l),
  };

  beforeEach(() => {
    partyTracks = new FakePartyTracks();
    connected$ = new Subject();
    sessions = [];
    states = [];
    levels = [];
    watch = watchConnection(partyTracks as unknown as PartyTracks, connected$, callbacks);
  });

  afterEach(() => {
    watch.unsubscribe();
    for (const pc of opened.splice(0)) pc.close();
  });

  const counted = () => {
    const c = countedPeerConnection();
    opened.push(c.pc);
    return c;
  };

  it('passes on each peer connection partytracks creates, with its session', () => {
    const first = new RTCPeerConnection();
    const second = new RTCPeerConnection();
    opened.push(first, second);
    partyTracks.session$.next({ peerConnection: first, sessionId: 's1' });
    partyTracks.session$.next({ peerConnection: second, sessionId: 's2' });
    expect(sessions.map((s) => [s.peerConnection, s.sessionId])).to.deep.equal([
      [first, 's1'],
      [second, 's2'],
    ]);
  });

  it('makes an error answer to a close roll the offer back instead of rejecting', async () => {
    const pc = new RTCPeerConnection();
    opened.push(pc);
    partyTracks.session$.next({ peerConnection: pc, sessionId: 's1' });
    pc.addTransceiver('audio');
    await pc.setLocalDescription(await pc.createOffer());
    expect(pc.signalingState).to.equal('have-local-offer');
    // What partytracks does with an error answer's missing sessionDescription.
    await pc.setRemoteDescription(
      new RTCSessionDescription(undefined as unknown as RTCSessionDescriptionInit),
    );
    expect(pc.signalingState, 'rolled back').to.equal('stable');
  });

  it('passes on every connection state', () => {
    for (const state of ['new', 'connecting', 'connected', 'disconnected', 'failed'] as const)
      partyTracks.peerConnectionState$.next(state);
    expect(states).to.deep.equal(['new', 'connecting', 'connected', 'disconnected', 'failed']);
  });

  it('samples levels only while connected$ gives a peer connection', async () => {
    const { pc, calls } = counted();
    await wait(300);
    expect(calls(), 'nothing to poll before a connection').to.equal(0);
    connected$.next(pc);
    await wait(700);
    const polled = calls();
    expect(polled, 'polls every 200 ms').to.be.within(2, 5);
    expect(levels.length, 'an unconnected connection has no levels but is reported').to.be.at.least(1);
    expect(levels.every((l) => l instanceof Map && l.size === 0)).to.equal(true);

    connected$.next(undefined);
    const atStop = calls();
    await wait(500);
    expect(calls(), 'no polling once disconnected').to.equal(atStop);
  });

  it('moves the polling to the next connection', async () => {
    const first = counted();
    const second = counted();
    connected$.next(first.pc);
    await wait(450);
    expect(first.calls()).to.be.at.least(1);
    connected$.next(second.pc);
    const firstAtSwitch = first.calls();
    await wait(450);
    expect(first.calls(), 'the old connection is no longer polled').to.equal(firstAtSwitch);
    expect(second.calls()).to.be.at.least(1);
  });

  it('unsubscribing stops everything', async () => {
    const { pc, calls } = counted();
    connected$.next(pc);
    await wait(450);
    expect(calls()).to.be.at.least(1);

    watch.unsubscribe();
    expect(partyTracks.session$.observed).to.equal(false);
    expect(partyTracks.peerConnectionState$.observed).to.equal(false);
    expect(connected$.observed).to.equal(false);

    const atStop = calls();
    const before = { sessions: sessions.length, levels: levels.length };
    partyTracks.session$.next({ peerConnection: pc, sessionId: 's1' });
    partyTracks.peerConnectionState$.next('failed');
    connected$.next(pc);
    await wait(450);
    expect(calls(), 'no polling').to.equal(atStop);
    expect(sessions).to.have.length(before.sessions);
    expect(levels).to.have.length(before.levels);
    expect(states).to.deep.equal([]);
  });
});
