import { expect } from '@open-wc/testing';
import type { PartyTracks, SinkApi, TrackMetadata } from 'partytracks/client';
import { Observable, Subject, firstValueFrom, type Subscription } from 'rxjs';
import { PullSet } from '../../../src/core/pull-set.js';
import { publicationKey, type RoomState } from '../../../src/core/room-state.js';
import type { Publication, TrackSource } from '../../../src/protocol/index.js';
import { kindOfSource } from '../../../src/protocol/index.js';

/** A stand-in track: the pull set only passes tracks on. */
const fakeTrack = (id: string) => ({ id }) as unknown as MediaStreamTrack;

/** One `pull()` of the fake partytracks: its track arrives when the test says so. */
interface FakePull {
  readonly metadata: TrackMetadata;
  readonly track: MediaStreamTrack;
  /** Subscriptions to this pull's observable still open. */
  live: number;
  /** Emits the pulled track to everyone subscribed. */
  arrive(): void;
}

class FakePartyTracks {
  readonly pulls: FakePull[] = [];

  pull(metadata$: Observable<TrackMetadata>): Observable<MediaStreamTrack> {
    let metadata: TrackMetadata = {};
    metadata$.subscribe((m) => (metadata = m)).unsubscribe();
    const arrivals = new Subject<MediaStreamTrack>();
    const pull: FakePull = {
      metadata,
      track: fakeTrack(`track-${metadata.trackName}@${metadata.sessionId}`),
      live: 0,
      arrive: () => arrivals.next(pull.track),
    };
    this.pulls.push(pull);
    return new Observable<MediaStreamTrack>((subscriber) => {
      pull.live++;
      const subscription = arrivals.subscribe(subscriber);
      return () => {
        pull.live--;
        subscription.unsubscribe();
      };
    });
  }

  /** The pull of a track name (the latest, if pulled more than once). */
  find(trackName: string): FakePull {
    const pull = this.pulls.findLast((p) => p.metadata.trackName === trackName);
    if (!pull) throw new Error(`${trackName} was not pulled`);
    return pull;
  }
}

class FakeSink {
  /** What was attached, with the tracks each attachment received. */
  readonly attached: { tracks: MediaStreamTrack[]; subscription: Subscription }[] = [];

  attach(track$: Observable<MediaStreamTrack>): Subscription {
    const entry = { tracks: [] as MediaStreamTrack[], subscription: undefined as unknown as Subscription };
    this.attached.push(entry);
    entry.subscription = track$.subscribe((track) => entry.tracks.push(track));
    return entry.subscription;
  }
}

const publication = (
  participantId: string,
  source: TrackSource,
  sessionId = `s-${participantId}`,
): Publication => ({
  participantId,
  sessionId,
  trackName: `${participantId}-${source}`,
  kind: kindOfSource[source],
  source,
});

const room = (publications: Publication[], selfId = 'me'): RoomState => ({
  selfId,
  participants: new Map(),
  publications: new Map(publications.map((p) => [publicationKey(p.participantId, p.source), p])),
});

describe('PullSet', () => {
  let partyTracks: FakePartyTracks;
  let sink: FakeSink;
  let pulls: PullSet;
  beforeEach(() => {
    partyTracks = new FakePartyTracks();
    sink = new FakeSink();
    pulls = new PullSet(partyTracks as unknown as PartyTracks, sink as unknown as SinkApi);
  });
  afterEach(() => pulls.clear());

  const everyone = [
    publication('me', 'camera'),
    publication('me', 'microphone'),
    publication('ada', 'camera'),
    publication('ada', 'microphone'),
    publication('org/bob', 'screen-video'),
  ];
  const pulled = () => partyTracks.pulls.map((p) => `${p.metadata.sessionId}:${p.metadata.trackName}`);
  const liveCount = () => partyTracks.pulls.reduce((sum, p) => sum + p.live, 0);

  it('pulls every remote publication but none of the local participant’s', () => {
    pulls.sync(room(everyone));
    expect(pulled()).to.deep.equal([
      's-ada:ada-camera',
      's-ada:ada-microphone',
      's-org/bob:org/bob-screen-video',
    ]);
    expect(partyTracks.pulls.every((p) => p.metadata.location === 'remote')).to.equal(true);
    expect(pulls.tracks$.value.size, 'no track before it arrives').to.equal(0);
  });

  it('keeps arrived tracks keyed like publications', () => {
    pulls.sync(room(everyone));
    partyTracks.find('ada-camera').arrive();
    partyTracks.find('org/bob-screen-video').arrive();
    expect([...pulls.tracks$.value]).to.deep.equal([
      ['ada/camera', partyTracks.find('ada-camera').track],
      ['org/bob/screen-video', partyTracks.find('org/bob-screen-video').track],
    ]);
  });

  it('pulls each publication once across syncs, with one live subscription each', () => {
    pulls.sync(room(everyone));
    pulls.sync(room(everyone));
    pulls.sync(room([...everyone, publication('cy', 'camera')]));
    pulls.sync(room(everyone.map((p) => ({ ...p }))));
    expect(pulled()).to.deep.equal([
      's-ada:ada-camera',
      's-ada:ada-microphone',
      's-org/bob:org/bob-screen-video',
      's-cy:cy-camera',
    ]);
    expect(
      partyTracks.pulls.map((p) => p.live),
      'the microphone is shared with the sink; cy was dropped',
    ).to.deep.equal([1, 1, 1, 0]);
  });

  it('drops a pull whose publication went away', () => {
    pulls.sync(room(everyone));
    partyTracks.find('ada-camera').arrive();
    partyTracks.find('ada-microphone').arrive();
    pulls.sync(room(everyone.filter((p) => p.source !== 'camera')));
    expect(partyTracks.find('ada-camera').live).to.equal(0);
    expect(partyTracks.find('ada-microphone').live).to.equal(1);
    expect([...pulls.tracks$.value.keys()]).to.deep.equal(['ada/microphone']);
    expect(partyTracks.pulls).to.have.length(3);
  });

  it('pulls a publication again when it moves to another session or track', () => {
    pulls.sync(room(everyone));
    const before = partyTracks.find('ada-camera');
    before.arrive();
    const moved = everyone.map((p) => (p.participantId === 'ada' ? { ...p, sessionId: 's-ada-2' } : p));
    pulls.sync(room(moved));
    expect(before.live, 'the old pull ends').to.equal(0);
    expect(pulled().slice(3)).to.deep.equal(['s-ada-2:ada-camera', 's-ada-2:ada-microphone']);
    expect(pulls.tracks$.value.has('ada/camera'), 'no stale track meanwhile').to.equal(false);
    const after = partyTracks.find('ada-camera');
    after.arrive();
    expect(pulls.tracks$.value.get('ada/camera')).to.equal(after.track);

    const renamed = moved.map((p) => (p.source === 'camera' ? { ...p, trackName: 'ada-camera-2' } : p));
    pulls.sync(room(renamed));
    expect(after.live).to.equal(0);
    expect(pulled().at(-1)).to.equal('s-ada-2:ada-camera-2');
    expect(liveCount(), 'ada camera, ada mic, bob screen').to.equal(3);
  });

  it('plays the audio publications through the sink, and only those', () => {
    pulls.sync(room([...everyone, publication('ada', 'screen-audio')]));
    expect(sink.attached).to.have.length(2);
    for (const name of ['ada-microphone', 'ada-screen-audio', 'ada-camera', 'org/bob-screen-video'])
      partyTracks.find(name).arrive();
    expect(sink.attached.map((a) => a.tracks)).to.have.deep.members([
      [partyTracks.find('ada-microphone').track],
      [partyTracks.find('ada-screen-audio').track],
    ]);
    expect(partyTracks.find('ada-microphone').live, 'one pull for the set and the sink').to.equal(1);

    pulls.sync(room(everyone));
    const screenAudio = sink.attached.find((a) => a.tracks[0] === partyTracks.find('ada-screen-audio').track);
    expect(screenAudio?.subscription.closed, 'detached with its pull').to.equal(true);
    expect(sink.attached.filter((a) => !a.subscription.closed)).to.have.length(1);
  });

  it('arrivals$ gives the tracks once every pull has arrived, to every subscriber', async () => {
    pulls.sync(room(everyone));
    partyTracks.find('ada-camera').arrive();
    const arrivals$ = pulls.arrivals$(5000);
    const first = firstValueFrom(arrivals$);
    const startedAt = performance.now();
    partyTracks.find('ada-microphone').arrive();
    partyTracks.find('org/bob-screen-video').arrive();
    const tracks = await first;
    expect(performance.now() - startedAt, 'without waiting for the timeout').to.be.below(1000);
    expect(tracks).to.have.members(partyTracks.pulls.map((p) => p.track));
    expect(tracks).to.have.length(3);
    expect(await firstValueFrom(arrivals$), 'replayed').to.equal(tracks);
  });

  it('arrivals$ gives up after waitMs on a pull that never arrives', async () => {
    pulls.sync(room(everyone));
    const arrivals = firstValueFrom(pulls.arrivals$(100));
    const startedAt = performance.now();
    partyTracks.find('ada-microphone').arrive();
    const tracks = await arrivals;
    expect(performance.now() - startedAt).to.be.at.least(90);
    expect(tracks).to.deep.equal([partyTracks.find('ada-microphone').track]);
  });

  it('starts a pull over when its track never comes (partytracks drops a failed pull silently)', async () => {
    const impatient = new PullSet(partyTracks as unknown as PartyTracks, sink as unknown as SinkApi, 100);
    impatient.sync(room(everyone));
    partyTracks.find('ada-camera').arrive();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(
      partyTracks.pulls.filter((p) => p.metadata.trackName === 'ada-camera'),
      'an arrived pull stays',
    ).to.have.length(1);
    const microphonePulls = partyTracks.pulls.filter((p) => p.metadata.trackName === 'ada-microphone');
    expect(microphonePulls.length, 'the stalled pull was started over').to.be.at.least(2);
    expect(
      microphonePulls.slice(0, -1).every((p) => p.live === 0),
      'the stalled ones are closed',
    ).to.equal(true);
    partyTracks.find('ada-microphone').arrive();
    partyTracks.find('org/bob-screen-video').arrive();
    const settled = partyTracks.pulls.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(partyTracks.pulls, 'nothing more once every track came').to.have.length(settled);
    expect(impatient.tracks$.value.size).to.equal(3);
    impatient.clear();
  });

  it('arrivals$ answers at once with nothing to pull', async () => {
    pulls.sync(room([publication('me', 'camera')]));
    expect(partyTracks.pulls).to.have.length(0);
    expect(await firstValueFrom(pulls.arrivals$(5000))).to.deep.equal([]);
  });

  it('clear() drops every pull and track, and a sync pulls them anew', () => {
    pulls.sync(room(everyone));
    partyTracks.pulls.forEach((p) => p.arrive());
    expect(pulls.tracks$.value.size).to.equal(3);
    pulls.clear();
    expect(liveCount()).to.equal(0);
    expect(pulls.tracks$.value.size).to.equal(0);
    expect(sink.attached.every((a) => a.subscription.closed)).to.equal(true);
    pulls.sync(room(everyone));
    expect(partyTracks.pulls).to.have.length(6);
    expect(liveCount()).to.equal(3);
  });
});

describe('PullSet with partytracks negotiating', () => {
  /** partytracks' request history and transceivers, as the pull set reads them before a pull's track is emitted. */
  class NegotiatingPartyTracks extends FakePartyTracks {
    readonly history = Object.assign(new EventTarget(), { entries: [] as unknown[] });
    readonly transceiver$ = new Subject<RTCRtpTransceiver>();

    /** The SFU's answer to a pull, as partytracks logs it before applying the SFU's offer. */
    answer(tracks: { sessionId: string; trackName: string; mid: string }[]): void {
      this.history.entries.push({
        endpoint: '/partytracks/sessions/me/tracks/new',
        type: 'response',
        body: { tracks },
      });
      this.history.dispatchEvent(new Event('logentry'));
    }

    /** The transceiver the SFU's offer created for `mid`. */
    offer(mid: string, track: MediaStreamTrack): void {
      this.transceiver$.next({ mid, receiver: { track } } as unknown as RTCRtpTransceiver);
    }
  }

  const video = (id: string) => ({ id, kind: 'video' }) as unknown as MediaStreamTrack;
  const audio = (id: string) => ({ id, kind: 'audio' }) as unknown as MediaStreamTrack;
  let partyTracks: NegotiatingPartyTracks;
  let pulls: PullSet;
  beforeEach(() => {
    partyTracks = new NegotiatingPartyTracks();
    pulls = new PullSet(partyTracks as unknown as PartyTracks, new FakeSink() as unknown as SinkApi);
  });
  afterEach(() => pulls.clear());

  it('hands out a pulled video as soon as its transceiver exists, before partytracks emits it', () => {
    pulls.sync(room([publication('ada', 'camera'), publication('ada', 'microphone')]));
    partyTracks.answer([
      { sessionId: 's-ada', trackName: 'ada-camera', mid: '1' },
      { sessionId: 's-ada', trackName: 'ada-microphone', mid: '2' },
    ]);
    const camera = video('ada-cam');
    partyTracks.offer('1', camera);
    partyTracks.offer('2', audio('ada-mic'));
    expect([...pulls.tracks$.value], 'the video only: audio plays once partytracks emits it').to.deep.equal([
      ['ada/camera', camera],
    ]);
  });

  it('ignores transceivers of mids it was not answered for', () => {
    pulls.sync(room([publication('ada', 'camera')]));
    partyTracks.offer('1', video('someone-else'));
    partyTracks.answer([{ sessionId: 's-other', trackName: 'other-camera', mid: '3' }]);
    partyTracks.offer('3', video('other'));
    expect(pulls.tracks$.value.size).to.equal(0);
  });

  it('forgets an early track when the pull is dropped', () => {
    pulls.sync(room([publication('ada', 'camera')]));
    partyTracks.answer([{ sessionId: 's-ada', trackName: 'ada-camera', mid: '1' }]);
    partyTracks.offer('1', video('ada-cam'));
    pulls.sync(room([]));
    expect(pulls.tracks$.value.size).to.equal(0);
  });
});
