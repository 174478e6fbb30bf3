import { expect } from '@open-wc/testing';
import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import { connectedPeerConnection$, othersShown$ } from '../../../src/core/first-media.js';
import { CountingEventTarget } from '../../support/counting-event-target.js';

/** A stand-in peer connection: an EventTarget with a settable `connectionState`, counting its listeners. */
class FakePeerConnection extends CountingEventTarget {
  connectionState: RTCPeerConnectionState = 'new';
  /** What `getStats()` answers, by report id. */
  reports = new Map<string, Record<string, unknown>>();
  statsCalls = 0;

  moveTo(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }

  async getStats(): Promise<Map<string, Record<string, unknown>>> {
    this.statsCalls++;
    return new Map(this.reports);
  }
}

const asPc = (pc: FakePeerConnection) => pc as unknown as RTCPeerConnection;

/** A stand-in pulled track: an EventTarget with `kind`, `id` and a settable `muted`. */
class FakeTrack extends EventTarget {
  constructor(
    readonly kind: 'audio' | 'video',
    public muted: boolean,
    readonly id = `${kind}-${Math.random().toString(36).slice(2)}`,
  ) {
    super();
  }

  unmute(): void {
    this.muted = false;
    this.dispatchEvent(new Event('unmute'));
  }
}

const asTracks = (tracks: FakeTrack[]) => tracks as unknown as MediaStreamTrack[];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('connectedPeerConnection$', () => {
  const subscriptions: Subscription[] = [];
  afterEach(() => subscriptions.splice(0).forEach((s) => s.unsubscribe()));

  function record(peerConnection$: Subject<RTCPeerConnection | undefined>) {
    const seen: (RTCPeerConnection | undefined)[] = [];
    subscriptions.push(connectedPeerConnection$(peerConnection$).subscribe((pc) => seen.push(pc)));
    return seen;
  }

  it('emits the peer connection only while it is connected', () => {
    const peerConnection$ = new Subject<RTCPeerConnection | undefined>();
    const seen = record(peerConnection$);
    const pc = new FakePeerConnection();
    peerConnection$.next(asPc(pc));
    expect(seen, 'not yet connected').to.deep.equal([undefined]);
    pc.moveTo('connecting');
    expect(seen, 'no repeat while still not connected').to.deep.equal([undefined]);
    pc.moveTo('connected');
    expect(seen).to.deep.equal([undefined, asPc(pc)]);
    pc.dispatchEvent(new Event('connectionstatechange'));
    expect(seen, 'no repeat while still connected').to.have.length(2);
    pc.moveTo('disconnected');
    expect(seen).to.deep.equal([undefined, asPc(pc), undefined]);
    pc.moveTo('connected');
    expect(seen.at(-1)).to.equal(asPc(pc));
    pc.moveTo('failed');
    expect(seen.at(-1)).to.equal(undefined);
    pc.moveTo('closed');
    expect(seen).to.have.length(5);
  });

  it('emits a peer connection that is already connected at once', () => {
    const pc = new FakePeerConnection();
    pc.connectionState = 'connected';
    const peerConnection$ = new BehaviorSubject<RTCPeerConnection | undefined>(asPc(pc));
    const seen = record(peerConnection$);
    expect(seen).to.deep.equal([asPc(pc)]);
  });

  it('follows the newest peer connection and undefined', () => {
    const peerConnection$ = new Subject<RTCPeerConnection | undefined>();
    const seen = record(peerConnection$);
    const first = new FakePeerConnection();
    const second = new FakePeerConnection();
    peerConnection$.next(asPc(first));
    first.moveTo('connected');
    peerConnection$.next(asPc(second));
    expect(seen).to.deep.equal([undefined, asPc(first), undefined]);
    expect(first.listeners, 'stops listening to the old one').to.equal(0);
    first.moveTo('disconnected');
    first.moveTo('connected');
    expect(seen, 'the old connection’s events are ignored').to.have.length(3);
    second.moveTo('connected');
    expect(seen.at(-1)).to.equal(asPc(second));
    peerConnection$.next(undefined);
    expect(seen.at(-1)).to.equal(undefined);
    expect(second.listeners).to.equal(0);
  });

  it('shares one listener, replays the latest to late subscribers, and lets go when nobody listens', () => {
    const peerConnection$ = new Subject<RTCPeerConnection | undefined>();
    const pc = new FakePeerConnection();
    const connected$ = connectedPeerConnection$(peerConnection$);
    const early: (RTCPeerConnection | undefined)[] = [];
    const late: (RTCPeerConnection | undefined)[] = [];
    const a = connected$.subscribe((x) => early.push(x));
    peerConnection$.next(asPc(pc));
    pc.moveTo('connected');
    const b = connected$.subscribe((x) => late.push(x));
    expect(late).to.deep.equal([asPc(pc)]);
    expect(pc.listeners, 'one listener for both').to.equal(1);
    a.unsubscribe();
    expect(pc.listeners).to.equal(1);
    b.unsubscribe();
    expect(pc.listeners).to.equal(0);
    expect(peerConnection$.observed).to.equal(false);
    expect(early).to.deep.equal([undefined, asPc(pc)]);
  });
});

describe('othersShown$', () => {
  const subscriptions: Subscription[] = [];
  afterEach(() => subscriptions.splice(0).forEach((s) => s.unsubscribe()));

  /** Subscribes, recording when it emitted (ms after subscribing) and whether it completed. */
  function watch(tracks: FakeTrack[], connected$: Subject<RTCPeerConnection | undefined>, waitMs: number) {
    const startedAt = performance.now();
    const result = { emissions: [] as number[], completed: false, startedAt };
    subscriptions.push(
      othersShown$(asTracks(tracks), connected$, waitMs).subscribe({
        next: () => result.emissions.push(performance.now() - startedAt),
        complete: () => (result.completed = true),
      }),
    );
    return result;
  }

  it('emits at once with no tracks', () => {
    const shown = watch([], new Subject(), 5000);
    expect(shown.emissions).to.have.length(1);
    expect(shown.completed).to.equal(true);
  });

  it('emits at once when no audio track is muted', () => {
    const shown = watch([new FakeTrack('audio', false), new FakeTrack('audio', false)], new Subject(), 5000);
    expect(shown.emissions).to.have.length(1);
    expect(shown.completed).to.equal(true);
  });

  it('with no video, waits for every track to unmute', async () => {
    const tracks = [
      new FakeTrack('audio', true),
      new FakeTrack('audio', false),
      new FakeTrack('audio', true),
    ];
    const shown = watch(tracks, new Subject(), 5000);
    await wait(50);
    expect(shown.emissions, 'two tracks still muted').to.have.length(0);
    tracks[0].unmute();
    await wait(50);
    expect(shown.emissions, 'one track still muted').to.have.length(0);
    tracks[2].unmute();
    expect(shown.emissions).to.have.length(1);
    expect(shown.emissions[0], 'long before waitMs').to.be.below(1000);
    expect(shown.completed).to.equal(true);
    tracks[0].unmute();
    expect(shown.emissions, 'once').to.have.length(1);
  });

  it('ignores a connected peer connection when there is no video', async () => {
    const connected$ = new BehaviorSubject<RTCPeerConnection | undefined>(undefined);
    const pc = new FakePeerConnection();
    const tracks = [new FakeTrack('audio', true)];
    const shown = watch(tracks, connected$, 5000);
    connected$.next(asPc(pc));
    await wait(100);
    expect(shown.emissions).to.have.length(0);
    expect(pc.statsCalls, 'no stats polling for audio').to.equal(0);
    tracks[0].unmute();
    expect(shown.emissions).to.have.length(1);
  });

  it('emits after waitMs at the latest, once', async () => {
    const tracks = [new FakeTrack('audio', true)];
    const shown = watch(tracks, new Subject(), 150);
    await wait(60);
    expect(shown.emissions).to.have.length(0);
    await wait(400);
    expect(shown.emissions).to.have.length(1);
    expect(shown.emissions[0]).to.be.within(140, 450);
    expect(shown.completed).to.equal(true);
    tracks[0].unmute();
    expect(shown.emissions).to.have.length(1);
  });

  it('with video, emits after a frame was decoded on the connected peer connection', async () => {
    const video = new FakeTrack('video', true);
    const connected$ = new BehaviorSubject<RTCPeerConnection | undefined>(undefined);
    const shown = watch([video, new FakeTrack('audio', true)], connected$, 5000);
    video.unmute();
    await wait(100);
    expect(shown.emissions, 'unmuted is not enough for video: not connected').to.have.length(0);

    const pc = new FakePeerConnection();
    pc.reports.set('in-1', { id: 'in-1', type: 'inbound-rtp', trackIdentifier: video.id, framesDecoded: 0 });
    connected$.next(asPc(pc));
    await wait(200);
    expect(pc.statsCalls, 'polls the connection').to.be.at.least(2);
    expect(shown.emissions, 'no frame decoded yet').to.have.length(0);

    const decodedAt = performance.now();
    pc.reports.set('in-1', { id: 'in-1', type: 'inbound-rtp', trackIdentifier: video.id, framesDecoded: 1 });
    await wait(500);
    expect(shown.emissions).to.have.length(1);
    expect(shown.completed).to.equal(true);
    const sinceDecoded = shown.emissions[0] - (decodedAt - shown.startedAt);
    expect(sinceDecoded, 'after the frame (polled every 25 ms, then two animation frames)').to.be.within(
      0,
      450,
    );
    const calls = pc.statsCalls;
    await wait(100);
    expect(pc.statsCalls, 'stops polling once shown').to.equal(calls);
  });

  it('with video, emits after waitMs when no frame shows', async () => {
    const connected$ = new BehaviorSubject<RTCPeerConnection | undefined>(undefined);
    const pc = new FakePeerConnection();
    pc.connectionState = 'connected';
    connected$.next(asPc(pc));
    const shown = watch([new FakeTrack('video', false)], connected$, 200);
    await wait(100);
    expect(shown.emissions).to.have.length(0);
    await wait(400);
    expect(shown.emissions).to.have.length(1);
    expect(shown.emissions[0]).to.be.within(190, 500);
    const calls = pc.statsCalls;
    await wait(100);
    expect(pc.statsCalls, 'stops polling after the wait').to.equal(calls);
  });
});
