import { expect } from '@open-wc/testing';
import type { PartyTracks } from 'partytracks/client';
import { Subject, type Subscription } from 'rxjs';
import { watchConnection, type ConnectionWatch } from '../../../src/core/connection-watch.js';
import { CountingEventTarget } from '../../support/counting-event-target.js';

/** A stand-in for partytracks' request history: an EventTarget with its entries. */
class FakeHistory extends CountingEventTarget {
  readonly entries: unknown[] = [];

  log(entry: unknown): void {
    this.entries.push(entry);
    this.dispatchEvent(new CustomEvent('logentry'));
  }

  /** A response of the call server with this `errorCode`. */
  refuse(errorCode: string): void {
    this.log({ type: 'response', endpoint: '/sessions/s1/tracks/new', body: { errorCode } });
  }
}

class FakePartyTracks {
  readonly peerConnection$ = new Subject<RTCPeerConnection>();
  readonly peerConnectionState$ = new Subject<RTCPeerConnectionState>();
  readonly history = new FakeHistory();
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
  let peerConnections: RTCPeerConnection[];
  let states: RTCPeerConnectionState[];
  let levels: Map<string, number>[];
  let refusals: string[];
  let watch: Subscription;
  const opened: RTCPeerConnection[] = [];

  const callbacks: ConnectionWatch = {
    peerConnection: (pc) => peerConnections.push(pc),
    connectionState: (state) => states.push(state),
    levels: (l) => levels.push(l),
    refusal: (code) => refusals.push(code),
  };

  beforeEach(() => {
    partyTracks = new FakePartyTracks();
    connected$ = new Subject();
    peerConnections = [];
    states = [];
    levels = [];
    refusals = [];
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

  it('passes on each peer connection partytracks creates', () => {
    const first = new RTCPeerConnection();
    const second = new RTCPeerConnection();
    opened.push(first, second);
    partyTracks.peerConnection$.next(first);
    partyTracks.peerConnection$.next(second);
    expect(peerConnections).to.have.length(2);
    expect(peerConnections[0]).to.equal(first);
    expect(peerConnections[1]).to.equal(second);
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

  it('reports a refusal only for unauthorized, forbidden and rate_limited', () => {
    for (const code of ['unauthorized', 'bad_request', 'forbidden', 'not_found', 'rate_limited', 'internal'])
      partyTracks.history.refuse(code);
    partyTracks.history.log({ type: 'request', endpoint: '/x', body: { errorCode: 'forbidden' } });
    partyTracks.history.log({ type: 'response', endpoint: '/x', body: { sessionId: 's1' } });
    expect(refusals).to.deep.equal(['unauthorized', 'forbidden', 'rate_limited']);
  });

  it('unsubscribing stops everything', async () => {
    const { pc, calls } = counted();
    connected$.next(pc);
    await wait(450);
    expect(calls()).to.be.at.least(1);
    expect(partyTracks.history.listeners).to.equal(1);

    watch.unsubscribe();
    expect(partyTracks.history.listeners, 'stops listening to the history').to.equal(0);
    expect(partyTracks.peerConnection$.observed).to.equal(false);
    expect(partyTracks.peerConnectionState$.observed).to.equal(false);
    expect(connected$.observed).to.equal(false);

    const atStop = calls();
    const before = { pcs: peerConnections.length, levels: levels.length };
    partyTracks.peerConnection$.next(pc);
    partyTracks.peerConnectionState$.next('failed');
    partyTracks.history.refuse('unauthorized');
    connected$.next(pc);
    await wait(450);
    expect(calls(), 'no polling').to.equal(atStop);
    expect(peerConnections).to.have.length(before.pcs);
    expect(levels).to.have.length(before.levels);
    expect(states).to.deep.equal([]);
    expect(refusals).to.deep.equal([]);
  });
});
