import { expect } from '@open-wc/testing';
import { Subject } from 'rxjs';
import { createAudioPlayback, restartSession } from '../../../src/core/partytracks-adapter.js';

describe('createAudioPlayback', () => {
  const realPlay = HTMLMediaElement.prototype.play;
  const realCreateElement = Document.prototype.createElement;
  /** What the stubbed `play()` does next. */
  let playResult: () => Promise<void>;
  let plays = 0;
  let created: HTMLAudioElement[] = [];
  let blocked: boolean[] = [];
  let unhandled: unknown[] = [];
  const onUnhandled = (event: PromiseRejectionEvent) => {
    unhandled.push(event.reason);
    event.preventDefault();
  };

  const refuse = () => Promise.reject(new DOMException('autoplay', 'NotAllowedError'));
  /** Lets promise callbacks and rejection tracking run. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  beforeEach(() => {
    plays = 0;
    created = [];
    blocked = [];
    unhandled = [];
    playResult = () => Promise.resolve();
    HTMLMediaElement.prototype.play = function () {
      plays++;
      return playResult();
    };
    document.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
      const element = realCreateElement.call(this, tagName, options);
      if (element instanceof HTMLAudioElement) created.push(element);
      return element;
    } as typeof document.createElement;
    window.addEventListener('unhandledrejection', onUnhandled);
  });

  afterEach(() => {
    HTMLMediaElement.prototype.play = realPlay;
    Reflect.deleteProperty(document, 'createElement');
    window.removeEventListener('unhandledrejection', onUnhandled);
  });

  function playback() {
    const result = createAudioPlayback((b) => blocked.push(b));
    expect(created, 'one audio element').to.have.length(1);
    return { ...result, audio: created[0] };
  }

  it('plays into an autoplaying audio element holding a stream', () => {
    const { audio, sink } = playback();
    expect(audio.autoplay).to.equal(true);
    expect(audio.srcObject).to.be.instanceOf(MediaStream);
    expect(sink.attach).to.be.a('function');
    sink.cleanup();
  });

  it('reports an autoplay block when the element’s play is refused, and still rejects', async () => {
    const { audio, sink } = playback();
    playResult = refuse;
    const error = await audio.play().catch((e: unknown) => e);
    expect((error as DOMException).name).to.equal('NotAllowedError');
    await settle();
    expect(plays).to.equal(1);
    expect(blocked).to.deep.equal([true]);
    sink.cleanup();
  });

  it('reports playback when the element’s play succeeds', async () => {
    const { audio, sink } = playback();
    await audio.play();
    await settle();
    expect(blocked).to.deep.equal([false]);
    sink.cleanup();
  });

  it('reports nothing for a refusal other than an autoplay block', async () => {
    const { audio, sink } = playback();
    playResult = () => Promise.reject(new DOMException('interrupted', 'AbortError'));
    const error = await audio.play().catch((e: unknown) => e);
    expect((error as DOMException).name).to.equal('AbortError');
    await settle();
    expect(blocked).to.deep.equal([]);
    sink.cleanup();
  });

  it('turns the sink’s own refused play into a report, not an unhandled rejection', async () => {
    const { audio, sink } = playback();
    playResult = refuse;
    const context = new AudioContext();
    const track = context.createMediaStreamDestination().stream.getAudioTracks()[0];
    // A pull emits later: partytracks' attach fails on a track emitted while it subscribes.
    const pulled$ = new Subject<MediaStreamTrack>();
    const attached = sink.attach(pulled$);
    pulled$.next(track);
    expect((audio.srcObject as MediaStream).getAudioTracks()).to.deep.equal([track]);
    // partytracks plays on `canplay` after every change of tracks: this is that event.
    audio.dispatchEvent(new Event('canplay'));
    await settle();
    expect(plays).to.equal(1);
    expect(blocked).to.deep.equal([true]);
    expect(unhandled).to.deep.equal([]);
    attached.unsubscribe();
    sink.cleanup();
    track.stop();
    await context.close();
  });

  it('resume() answers true and reports playback when play succeeds', async () => {
    const { sink, resume } = playback();
    expect(await resume()).to.equal(true);
    expect(plays).to.equal(1);
    expect(blocked).to.deep.equal([false]);
    sink.cleanup();
  });

  it('resume() answers false and reports a block when play is refused', async () => {
    const { sink, resume } = playback();
    playResult = refuse;
    expect(await resume()).to.equal(false);
    expect(blocked).to.deep.equal([true]);
    playResult = () => Promise.resolve();
    expect(await resume(), 'after a click').to.equal(true);
    expect(blocked).to.deep.equal([true, false]);
    await settle();
    expect(unhandled).to.deep.equal([]);
    sink.cleanup();
  });
});

describe('restartSession', () => {
  it('closes the connection and fires the state change partytracks listens for, once', () => {
    const pc = new RTCPeerConnection();
    const seen: string[] = [];
    pc.addEventListener('connectionstatechange', () => seen.push(pc.connectionState));
    restartSession(pc);
    restartSession(pc);
    expect(seen).to.deep.equal(['closed']);
  });
});
