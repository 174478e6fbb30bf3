import { expect } from '@open-wc/testing';
import type { Subscription } from 'rxjs';
import {
  SPEAKING_LEVEL,
  SpeakingLevels,
  loudest,
  microphones,
  smoothLevel,
  type MicTrack,
} from '../../../src/core/speaking.js';

/** A stand-in for a pulled track: `microphones()` reads only its id. */
const fakeTrack = (id: string) => ({ id }) as unknown as MediaStreamTrack;

describe('smoothLevel', () => {
  it('rises at once to a louder level', () => {
    expect(smoothLevel(0, 0.5)).to.equal(0.5);
    expect(smoothLevel(0.1, 0.3)).to.equal(0.3);
  });

  it('falls slowly towards a quieter level', () => {
    expect(smoothLevel(0.5, 0)).to.be.closeTo(0.35, 1e-9);
    expect(smoothLevel(0.5, 0.1)).to.be.closeTo(0.38, 1e-9);
    expect(smoothLevel(0.2, 0.2)).to.be.closeTo(0.2, 1e-9);
    let level = 0.8;
    for (let i = 0; i < 3; i++) level = smoothLevel(level, 0);
    expect(level, 'still audible after three silent samples').to.be.above(SPEAKING_LEVEL);
  });
});

describe('loudest', () => {
  it('picks the loudest participant above the speaking level', () => {
    expect(
      loudest(
        new Map([
          ['a', 0.1],
          ['b', 0.6],
          ['c', 0.3],
        ]),
      ),
    ).to.equal('b');
  });

  it('picks nobody when everyone is at or below the speaking level', () => {
    expect(loudest(new Map())).to.equal(undefined);
    expect(
      loudest(
        new Map([
          ['a', SPEAKING_LEVEL],
          ['b', SPEAKING_LEVEL / 2],
          ['c', 0],
        ]),
      ),
    ).to.equal(undefined);
    expect(loudest(new Map([['a', SPEAKING_LEVEL + 0.001]]))).to.equal('a');
  });
});

describe('SpeakingLevels', () => {
  let levels: SpeakingLevels;
  let subscriptions: Subscription[] = [];
  beforeEach(() => (levels = new SpeakingLevels()));
  afterEach(() => {
    subscriptions.forEach((s) => s.unsubscribe());
    subscriptions = [];
  });

  /** The latest value of `level$(id)`. */
  function levelOf(id: string): number {
    let value = NaN;
    levels
      .level$(id)
      .subscribe((v) => (value = v))
      .unsubscribe();
    return value;
  }

  function record<T>(observable: { subscribe(next: (value: T) => void): Subscription }): T[] {
    const seen: T[] = [];
    subscriptions.push(observable.subscribe((value) => seen.push(value)));
    return seen;
  }

  const remote: MicTrack[] = [
    { participantId: 'ada', trackId: 't-ada' },
    { participantId: 'bob', trackId: 't-bob' },
  ];

  it('smooths remote levels by track, and keeps a level its sample lacks', () => {
    expect(levelOf('ada'), 'unknown').to.equal(0);
    levels.update(
      new Map([
        ['t-ada', 0.5],
        ['t-bob', 0.2],
      ]),
      remote,
    );
    expect(levelOf('ada')).to.equal(0.5);
    expect(levelOf('bob')).to.equal(0.2);

    levels.update(new Map([['t-bob', 0]]), remote);
    expect(levelOf('ada'), 'no sample for ada: unchanged').to.equal(0.5);
    expect(levelOf('bob')).to.be.closeTo(0.14, 1e-9);

    levels.update(new Map([['t-ada', 0]]), remote);
    expect(levelOf('ada')).to.be.closeTo(0.35, 1e-9);
  });

  it('forgets whoever has no microphone any more, even mid-word', () => {
    const speakers = record(levels.speaking$);
    const active = record(levels.activeSpeaker$);
    levels.update(new Map([['t-ada', 0.9]]), remote);
    expect(active.at(-1)).to.equal('ada');
    levels.update(new Map([['t-bob', 0]]), [remote[1]]); // ada left while loud
    expect(levelOf('ada')).to.equal(0);
    expect(active.at(-1), 'no longer the active speaker').to.equal(undefined);
    expect([...(speakers.at(-1) ?? [])]).to.deep.equal([]);
  });

  it('ignores levels of tracks that are no participant’s microphone', () => {
    levels.update(new Map([['t-other', 0.9]]), remote);
    expect(levelOf('ada')).to.equal(0);
    expect(levelOf('t-other')).to.equal(0);
  });

  it('counts a muted local microphone as silent', () => {
    const self = (muted: boolean): MicTrack[] => [{ participantId: 'me', trackId: 't-me', local: { muted } }];
    levels.update(new Map([['t-me', 0.6]]), self(true));
    expect(levelOf('me'), 'muted from the start').to.equal(0);
    levels.update(new Map([['t-me', 0.6]]), self(false));
    expect(levelOf('me')).to.equal(0.6);
    levels.update(new Map([['t-me', 0.6]]), self(true));
    expect(levelOf('me'), 'decays as silence despite the measured level').to.be.closeTo(0.42, 1e-9);
  });

  it('counts an unmeasured local microphone as silent', () => {
    const self: MicTrack[] = [{ participantId: 'me', trackId: 't-me', local: { muted: false } }];
    levels.update(new Map([['t-me', 0.6]]), self);
    levels.update(new Map(), self);
    expect(levelOf('me'), 'unlike a remote one, it does not keep its level').to.be.closeTo(0.42, 1e-9);
  });

  it('emits the speakers only when who speaks changes', () => {
    const seen = record(levels.speaking$);
    expect(seen.map((s) => [...s])).to.deep.equal([[]]);
    levels.update(new Map([['t-ada', 0.5]]), remote);
    levels.update(new Map([['t-ada', 0.9]]), remote);
    levels.update(new Map([['t-bob', 0.01]]), remote);
    expect(
      seen.map((s) => [...s]),
      'louder, or a silent one: no news',
    ).to.deep.equal([[], ['ada']]);
    levels.update(new Map([['t-bob', 0.3]]), remote);
    expect(seen.at(-1)).to.be.instanceOf(Set);
    expect([...seen.at(-1)!].sort()).to.deep.equal(['ada', 'bob']);
    expect(seen).to.have.length(3);
    for (let i = 0; i < 10; i++) levels.update(new Map([['t-ada', 0]]), remote);
    expect(seen.map((s) => [...s])).to.deep.equal([[], ['ada'], ['ada', 'bob'], ['bob']]);
  });

  it('emits the loudest speaker as the active one, only when it changes', () => {
    const seen = record(levels.activeSpeaker$);
    levels.update(new Map([['t-ada', 0.5]]), remote);
    levels.update(new Map([['t-ada', 0.6]]), remote);
    levels.update(new Map([['t-bob', 0.8]]), remote);
    levels.update(
      new Map([
        ['t-ada', 0],
        ['t-bob', 0],
      ]),
      remote,
    );
    expect(seen).to.deep.equal([undefined, 'ada', 'bob']);
    for (let i = 0; i < 20; i++)
      levels.update(
        new Map([
          ['t-ada', 0],
          ['t-bob', 0],
        ]),
        remote,
      );
    expect(seen).to.deep.equal([undefined, 'ada', 'bob', undefined]);
  });

  it('hands out one level$ per participant, emitting only its own changes', () => {
    expect(levels.level$('ada')).to.equal(levels.level$('ada'));
    expect(levels.level$('ada')).to.not.equal(levels.level$('bob'));
    const ada = record(levels.level$('ada'));
    const bob = record(levels.level$('bob'));
    levels.update(new Map([['t-ada', 0.5]]), remote);
    levels.update(new Map([['t-bob', 0.2]]), remote);
    levels.update(new Map([['t-bob', 0.4]]), remote);
    expect(ada).to.deep.equal([0, 0.5]);
    expect(bob).to.deep.equal([0, 0.2, 0.4]);
  });

  it('clear() silences everyone', () => {
    const speaking = record(levels.speaking$);
    const active = record(levels.activeSpeaker$);
    levels.update(
      new Map([
        ['t-ada', 0.5],
        ['t-bob', 0.3],
      ]),
      remote,
    );
    levels.clear();
    expect(levelOf('ada')).to.equal(0);
    expect(levelOf('bob')).to.equal(0);
    expect([...speaking.at(-1)!]).to.deep.equal([]);
    expect(active).to.deep.equal([undefined, 'ada', undefined]);
    levels.update(new Map([['t-bob', 0.1]]), remote);
    expect(levelOf('bob'), 'starts again from silence').to.equal(0.1);
  });
});

describe('microphones', () => {
  it('picks the pulled microphones by key, for participant ids with slashes too', () => {
    const remoteTracks = new Map([
      ['ada/microphone', fakeTrack('t1')],
      ['ada/camera', fakeTrack('t2')],
      ['org/team/bob/microphone', fakeTrack('t3')],
      ['cy/screen-audio', fakeTrack('t4')],
      ['cy/screen-video', fakeTrack('t5')],
    ]);
    expect(microphones(remoteTracks, { muted: false })).to.deep.equal([
      { participantId: 'ada', trackId: 't1' },
      { participantId: 'org/team/bob', trackId: 't3' },
    ]);
  });

  it('adds the local microphone only with both an id and a track', () => {
    const remoteTracks = new Map([['ada/microphone', fakeTrack('t1')]]);
    expect(microphones(remoteTracks, { id: 'me', micTrackId: 'local-mic', muted: true })).to.deep.equal([
      { participantId: 'ada', trackId: 't1' },
      { participantId: 'me', trackId: 'local-mic', local: { muted: true } },
    ]);
    expect(microphones(new Map(), { id: 'me', micTrackId: 'local-mic', muted: false })).to.deep.equal([
      { participantId: 'me', trackId: 'local-mic', local: { muted: false } },
    ]);
    expect(microphones(new Map(), { id: 'me', muted: false }), 'no track yet').to.deep.equal([]);
    expect(microphones(new Map(), { micTrackId: 'local-mic', muted: false }), 'not joined').to.deep.equal([]);
  });
});
