import { expect } from '@open-wc/testing';
import type { MediaDevice } from 'partytracks/client';
import { BehaviorSubject, Observable, type Subscription } from 'rxjs';
import { talkingWhileMuted$ } from '../../../src/core/talking-while-muted.js';

/** A real audio track: a tone from an oscillator (`gain` 0 for silence), through WebAudio. */
function toneTrack(gain: number): { track: MediaStreamTrack; close: () => void } {
  const context = new AudioContext();
  void context.resume().catch(() => undefined);
  const oscillator = context.createOscillator();
  oscillator.frequency.value = 440;
  const volume = context.createGain();
  volume.gain.value = gain;
  const destination = context.createMediaStreamDestination();
  oscillator.connect(volume).connect(destination);
  oscillator.start();
  const [track] = destination.stream.getAudioTracks();
  return {
    track,
    close: () => {
      track.stop();
      oscillator.stop();
      void context.close().catch(() => undefined);
    },
  };
}

/** A stand-in microphone: counts `enableSource()` and its monitor track's subscribers. */
class FakeMic {
  enableSourceCalls = 0;
  /** When each `enableSource()` came, ms after the test's start. */
  readonly enabledAt: number[] = [];
  monitors = 0;
  startedAt = performance.now();

  constructor(readonly track: MediaStreamTrack) {}

  enableSource(): void {
    this.enableSourceCalls++;
    this.enabledAt.push(performance.now() - this.startedAt);
  }

  readonly localMonitorTrack$ = new Observable<MediaStreamTrack>((subscriber) => {
    this.monitors++;
    subscriber.next(this.track);
    return () => this.monitors--;
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('talkingWhileMuted$', function () {
  this.timeout(8000);

  // Chromium keeps an AudioContext made without a user gesture suspended (silent) unless the page captures
  // media, as it does in a call (the muted mic is opened to listen): hold a capture of the fake mic meanwhile.
  let capture: MediaStream;
  before(async () => {
    capture = await navigator.mediaDevices.getUserMedia({ audio: true });
  });
  after(() => capture.getTracks().forEach((track) => track.stop()));

  let tone: ReturnType<typeof toneTrack>;
  let mic: FakeMic;
  let subscription: Subscription | undefined;
  /** Each emission with when it came, ms after subscribing. */
  let samples: { at: number; talking: boolean }[];

  afterEach(() => {
    subscription?.unsubscribe();
    subscription = undefined;
    tone.close();
  });

  function listen(micOn$: Observable<boolean>, gain: number): void {
    tone = toneTrack(gain);
    mic = new FakeMic(tone.track);
    samples = [];
    const startedAt = performance.now();
    mic.startedAt = startedAt;
    subscription = talkingWhileMuted$(mic as unknown as MediaDevice, micOn$).subscribe((talking) =>
      samples.push({ at: performance.now() - startedAt, talking }),
    );
  }

  it('says true after about 0.6 s of a loud tone while muted, after the 1.5 s start delay', async () => {
    listen(new BehaviorSubject(false), 0.5);
    await wait(1200);
    expect(samples, 'nothing before the start delay').to.deep.equal([]);
    expect(mic.enableSourceCalls, 'the mic stays closed until then').to.equal(0);
    await wait(2100);
    expect(mic.enableSourceCalls, 'muted: the mic is opened to listen').to.equal(1);
    expect(mic.enabledAt[0]).to.be.within(1400, 2500);
    expect(samples.length, 'a sample every 100 ms').to.be.at.least(8);
    expect(samples[0].at).to.be.at.least(1400);
    const firstTrue = samples.find((s) => s.talking);
    expect(firstTrue, 'the hint shows').to.not.equal(undefined);
    expect(firstTrue!.at, 'after the delay and 0.6 s of speech').to.be.within(2000, 3300);
    expect(samples[0].talking, 'not at the first loud sample').to.equal(false);
    const after = samples.filter((s) => s.at >= firstTrue!.at);
    expect(
      after.every((s) => s.talking),
      'stays true while the tone goes on',
    ).to.equal(true);
  });

  it('says false while the mic is on, without opening it', async () => {
    listen(new BehaviorSubject(true), 0.5);
    await wait(2300);
    expect(samples.length, 'one answer for the unmuted mic').to.be.at.least(1);
    expect(samples.every((s) => !s.talking)).to.equal(true);
    expect(samples[0].at).to.be.at.least(1400);
    expect(mic.enableSourceCalls).to.equal(0);
    expect(mic.monitors, 'no metering while unmuted').to.equal(0);
  });

  it('says false for silence while muted', async () => {
    listen(new BehaviorSubject(false), 0);
    await wait(2700);
    expect(samples.length).to.be.at.least(5);
    expect(samples.every((s) => !s.talking)).to.equal(true);
    expect(mic.enableSourceCalls).to.equal(1);
  });

  it('calls enableSource only while muted, and unmuting says false at once', async () => {
    const micOn$ = new BehaviorSubject(true);
    listen(micOn$, 0.5);
    await wait(1700);
    expect(mic.enableSourceCalls).to.equal(0);
    expect(samples.map((s) => s.talking)).to.deep.equal([false]);

    micOn$.next(false);
    expect(mic.enableSourceCalls, 'muted: opened').to.equal(1);
    expect(mic.monitors).to.equal(1);
    await wait(1200);
    expect(samples.at(-1)?.talking, 'talking while muted').to.equal(true);

    micOn$.next(true);
    expect(samples.at(-1)?.talking, 'unmuted: no hint').to.equal(false);
    expect(mic.monitors, 'the meter stops').to.equal(0);
    const count = samples.length;
    micOn$.next(true);
    await wait(300);
    expect(samples, 'no samples while unmuted').to.have.length(count);
    expect(mic.enableSourceCalls, 'not opened again while unmuted').to.equal(1);
  });

  it('stops metering when unsubscribed', async () => {
    listen(new BehaviorSubject(false), 0.5);
    await wait(1800);
    expect(mic.monitors).to.equal(1);
    subscription!.unsubscribe();
    expect(mic.monitors).to.equal(0);
    const count = samples.length;
    await wait(300);
    expect(samples).to.have.length(count);
  });
});
