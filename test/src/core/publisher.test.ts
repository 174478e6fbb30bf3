import { expect } from '@open-wc/testing';
import type { PartyTracks, TrackMetadata } from 'partytracks/client';
import { Observable, Subject, type Subscription } from 'rxjs';
import { CallError } from '../../../src/core/call-error.js';
import { Publisher, type PublisherCall } from '../../../src/core/publisher.js';
import type { LocalMediaState } from '../../../src/core/types.js';
import { PROTOCOL_VERSION, type ClientMessage } from '../../../src/protocol/index.js';

/** One `push()` of the fake partytracks: records the tracks it was given; its metadata comes when told. */
class FakePush {
  readonly tracks: MediaStreamTrack[] = [];
  /** Each set of encodings the push was given, in order (partytracks applies the later ones with setParameters). */
  readonly encodings: RTCRtpEncodingParameters[][] = [];
  /** Subscriptions to this push still open. */
  live = 0;
  readonly #metadata = new Subject<TrackMetadata>();

  constructor(
    readonly track$: Observable<MediaStreamTrack>,
    readonly sendEncodings$?: Observable<RTCRtpEncodingParameters[]>,
  ) {}

  /** What partytracks emits once the track is pushed (again after a reconnect, or a track change). */
  emit(sessionId: string | undefined, trackName: string | undefined): void {
    this.#metadata.next({ sessionId, trackName, location: 'remote' });
  }

  get last(): MediaStreamTrack | undefined {
    return this.tracks.at(-1);
  }

  readonly observable = new Observable<TrackMetadata>((subscriber) => {
    this.live++;
    const subscription = this.track$.subscribe((track) => this.tracks.push(track));
    if (this.sendEncodings$) subscription.add(this.sendEncodings$.subscribe((e) => this.encodings.push(e)));
    subscription.add(this.#metadata.subscribe(subscriber));
    return () => {
      this.live--;
      subscription.unsubscribe();
    };
  });
}

class FakePartyTracks {
  readonly pushes: FakePush[] = [];
  readonly peerConnection$ = new Subject<RTCPeerConnection>();

  push(
    track$: Observable<MediaStreamTrack>,
    options: { sendEncodings$?: Observable<RTCRtpEncodingParameters[]> } = {},
  ): Observable<TrackMetadata> {
    const push = new FakePush(track$, options.sendEncodings$);
    this.pushes.push(push);
    return push.observable;
  }
}

/** Polls `condition` until it holds, failing with `what` after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Publisher', function () {
  this.timeout(15000);

  const mediaDevices = navigator.mediaDevices;
  const realGetUserMedia = mediaDevices.getUserMedia;
  /** Labels of the fake camera and microphones, to tell a device's track from partytracks' stand-ins. */
  let deviceLabels = new Set<string>();
  /** The kinds asked of `getUserMedia`, in order. */
  let opened: ('audio' | 'video')[];
  /** When set, `getUserMedia` for that kind rejects with it. */
  let refuse: Partial<Record<'audio' | 'video', () => Error>>;
  let errors: unknown[];
  let sent: ClientMessage[];
  let partyTracks: FakePartyTracks;
  let call: PublisherCall;
  let publisher: Publisher;
  let local: LocalMediaState[];
  let localVideo: (MediaStreamTrack | undefined)[];
  let subscriptions: Subscription[];

  before(async () => {
    const devices = await mediaDevices.enumerateDevices();
    deviceLabels = new Set(devices.filter((d) => d.kind.endsWith('input') && d.label).map((d) => d.label));
    expect(deviceLabels.size, 'the fake devices are listed with labels').to.be.at.least(2);
  });

  beforeEach(() => {
    opened = [];
    refuse = {};
    errors = [];
    sent = [];
    partyTracks = new FakePartyTracks();
    call = {
      partyTracks: partyTracks as unknown as PartyTracks,
      send: (message) => sent.push(message),
    };
    mediaDevices.getUserMedia = function (this: MediaDevices, constraints?: MediaStreamConstraints) {
      const kind = constraints?.video ? 'video' : 'audio';
      opened.push(kind);
      const refusal = refuse[kind];
      if (refusal) return Promise.reject(refusal());
      return realGetUserMedia.call(this, constraints).then((stream) => {
        audioTracks.push(...stream.getAudioTracks());
        return stream;
      });
    };
    publisher = new Publisher((error) => errors.push(error));
    local = [];
    localVideo = [];
    subscriptions = [
      publisher.local$.subscribe((l) => local.push(l)),
      publisher.localVideo$.subscribe((t) => localVideo.push(t)),
    ];
  });

  afterEach(() => {
    publisher.stop();
    subscriptions.forEach((s) => s.unsubscribe());
    Reflect.deleteProperty(mediaDevices, 'getUserMedia');
  });

  const isDevice = (track: MediaStreamTrack | undefined, kind: 'audio' | 'video') =>
    !!track && track.kind === kind && deviceLabels.has(track.label);
  const cameraTrack = () => {
    const track = localVideo.at(-1);
    return isDevice(track, 'video') && track!.readyState === 'live' ? track : undefined;
  };
  const untilCamera = async () => {
    await until(() => !!cameraTrack(), 'the camera’s track in localVideo$');
    return cameraTrack()!;
  };
  const untilPushed = async (push: FakePush, kind: 'audio' | 'video') => {
    await until(
      () => isDevice(push.last, kind) && push.last!.readyState === 'live',
      `a pushed ${kind} track`,
    );
    return push.last!;
  };
  /** The live device microphone track the page holds, if any (captured in `getUserMedia`). */
  const audioTracks: MediaStreamTrack[] = [];
  const findLiveAudio = () => audioTracks.find((t) => t.readyState === 'live');
  const publishes = () => sent.filter((m) => m.type === 'publish');
  const states = () => sent.filter((m) => m.type === 'update-state');
  const publish = (source: 'microphone' | 'camera', sessionId: string, trackName: string): ClientMessage => ({
    v: PROTOCOL_VERSION,
    type: 'publish',
    track: { sessionId, trackName, kind: source === 'microphone' ? 'audio' : 'video', source },
  });
  const updateState = (micOn: boolean, cameraOn: boolean): ClientMessage => ({
    v: PROTOCOL_VERSION,
    type: 'update-state',
    state: { micOn, cameraOn },
  });

  describe('open()', () => {
    it('opens the devices as asked and patches the switches without sending anything', async () => {
      publisher.attach(call);
      publisher.open({ audio: true, video: true });
      expect(publisher.local).to.include({ micOn: true, cameraOn: true, canPublish: false, screenOn: false });
      const camera = await untilCamera();
      expect(camera.readyState).to.equal('live');
      expect(opened).to.include.members(['audio', 'video']);
      await until(() => publisher.micTrackId !== undefined, 'the mic track id');
      expect(sent, 'a preview sends nothing').to.deep.equal([]);
      expect(partyTracks.pushes, 'nor pushes').to.have.length(0);
    });

    it('gives the camera’s track in localTracks$ and localVideo$', async () => {
      publisher.open({ audio: false, video: true });
      const camera = await untilCamera();
      let tracks: Partial<Record<string, MediaStreamTrack>> = {};
      publisher.localTracks$.subscribe((t) => (tracks = t)).unsubscribe();
      expect(tracks.camera).to.equal(camera);
      expect(tracks.screen).to.equal(undefined);
      expect(camera.getSettings().width, 'the fake camera’s clip').to.equal(320);
    });

    it('leaves a device asked off closed', async () => {
      publisher.open({ audio: false, video: true });
      await untilCamera();
      await wait(200);
      expect(publisher.local).to.include({ micOn: false, cameraOn: true });
      expect(opened, 'the microphone is not opened').to.deep.equal(['video']);
    });

    it('a camera asked off shows no camera track', async () => {
      publisher.open({ audio: false, video: false });
      await wait(300);
      expect(publisher.local).to.include({ micOn: false, cameraOn: false });
      expect(opened).to.deep.equal([]);
      expect(localVideo.some((t) => isDevice(t, 'video'))).to.equal(false);
    });

    it('does nothing the second time', async () => {
      publisher.open({ audio: false, video: true });
      const camera = await untilCamera();
      const before = local.length;
      publisher.open({ audio: true, video: false });
      await wait(200);
      expect(local, 'no patch').to.have.length(before);
      expect(publisher.local).to.include({ micOn: false, cameraOn: true });
      expect(cameraTrack()).to.equal(camera);
      expect(opened).to.deep.equal(['video']);
    });
  });

  describe('start()', () => {
    it('answers false without attach()', () => {
      expect(publisher.start({ audio: true, video: true })).to.equal(false);
      expect(publisher.local.canPublish).to.equal(false);
      expect(publisher.local.micOn, 'opens nothing').to.equal(false);
      expect(opened).to.deep.equal([]);
    });

    it('pushes the microphone and the camera and sends the state', async () => {
      publisher.attach(call);
      expect(publisher.start({ audio: true, video: true })).to.equal(true);
      expect(partyTracks.pushes).to.have.length(2);
      expect(publisher.local).to.include({ micOn: true, cameraOn: true, canPublish: true });
      expect(sent).to.deep.equal([updateState(true, true)]);
      const mic = await untilPushed(partyTracks.pushes[0], 'audio');
      const camera = await untilPushed(partyTracks.pushes[1], 'video');
      expect(publisher.micTrackId).to.equal(mic.id);
      expect(cameraTrack(), 'the self view shows the pushed track').to.equal(camera);
      expect(publishes(), 'nothing announced before partytracks names the tracks').to.deep.equal([]);
    });

    it('answers false when called again, pushing nothing more', async () => {
      publisher.attach(call);
      expect(publisher.start({ audio: true, video: true })).to.equal(true);
      expect(publisher.start({ audio: true, video: true })).to.equal(false);
      expect(publisher.start({ audio: false, video: false })).to.equal(false);
      expect(partyTracks.pushes).to.have.length(2);
      expect(states()).to.have.length(1);
    });

    it('announces each publication once, and again under new ids', () => {
      publisher.attach(call);
      publisher.start({ audio: true, video: true });
      const [mic, camera] = partyTracks.pushes;
      sent.length = 0;
      mic.emit('s1', 'mic-1');
      camera.emit('s1', 'cam-1');
      expect(sent).to.deep.equal([publish('microphone', 's1', 'mic-1'), publish('camera', 's1', 'cam-1')]);

      mic.emit('s1', 'mic-1');
      camera.emit('s1', 'cam-1');
      expect(sent, 'the same ids again (a track change) are not news').to.have.length(2);

      camera.emit('s2', 'cam-1');
      mic.emit('s2', 'mic-2');
      expect(sent.slice(2), 'a re-push under a new session is').to.deep.equal([
        publish('camera', 's2', 'cam-1'),
        publish('microphone', 's2', 'mic-2'),
      ]);
      camera.emit('s2', 'cam-2');
      expect(sent.at(-1)).to.deep.equal(publish('camera', 's2', 'cam-2'));
      expect(sent).to.have.length(5);
    });

    it('does not announce metadata without ids', () => {
      publisher.attach(call);
      publisher.start({ audio: true, video: true });
      sent.length = 0;
      partyTracks.pushes[0].emit(undefined, undefined);
      partyTracks.pushes[1].emit('s1', undefined);
      expect(sent).to.deep.equal([]);
      partyTracks.pushes[1].emit('s1', 'cam-1');
      expect(sent).to.deep.equal([publish('camera', 's1', 'cam-1')]);
    });

    it('publishes a muted microphone and a camera that is off', async () => {
      publisher.attach(call);
      publisher.start({ audio: false, video: false });
      expect(partyTracks.pushes, 'both slots are published').to.have.length(2);
      expect(sent).to.deep.equal([updateState(false, false)]);
      await until(() => partyTracks.pushes.every((p) => p.tracks.length > 0), 'stand-in tracks');
      expect(isDevice(partyTracks.pushes[0].last, 'audio'), 'silence, not the mic').to.equal(false);
      expect(isDevice(partyTracks.pushes[1].last, 'video'), 'black, not the camera').to.equal(false);
      expect(opened).to.deep.equal([]);
    });

    it('after open() pushes the very track the preview showed, without opening the camera again', async () => {
      publisher.open({ audio: false, video: true });
      const preview = await untilCamera();
      expect(opened).to.deep.equal(['video']);
      publisher.attach(call);
      expect(publisher.start({ audio: true, video: false })).to.equal(true);
      const pushed = await untilPushed(partyTracks.pushes[1], 'video');
      expect(pushed.id).to.equal(preview.id);
      expect(preview.readyState).to.equal('live');
      expect(
        opened.filter((kind) => kind === 'video'),
        'one camera open',
      ).to.have.length(1);
      expect(publisher.local, 'the preview’s switches stand').to.include({ micOn: false, cameraOn: true });
      expect(sent).to.deep.equal([updateState(false, true)]);
    });
  });

  describe('switches', () => {
    it('do nothing before the devices are open', () => {
      publisher.attach(call);
      const before = local.length;
      publisher.setMicEnabled(true);
      publisher.setCameraEnabled(true);
      expect(local).to.have.length(before);
      expect(sent).to.deep.equal([]);
      expect(opened).to.deep.equal([]);
    });

    it('setMicEnabled() patches local$, sends the state and opens the microphone', async () => {
      publisher.attach(call);
      publisher.open({ audio: false, video: false });
      const offTrackId = publisher.micTrackId;
      publisher.setMicEnabled(true);
      expect(publisher.local.micOn).to.equal(true);
      expect(local.at(-1)?.micOn).to.equal(true);
      expect(sent).to.deep.equal([updateState(true, false)]);
      await until(() => opened.includes('audio'), 'the microphone opening');
      await until(() => publisher.micTrackId !== offTrackId, 'the microphone’s track');

      publisher.setMicEnabled(false);
      expect(publisher.local.micOn).to.equal(false);
      expect(sent).to.deep.equal([updateState(true, false), updateState(false, false)]);
    });

    it('setCameraEnabled() patches local$, sends the state, and turning it off lets the camera go', async () => {
      publisher.attach(call);
      publisher.open({ audio: false, video: false });
      publisher.setCameraEnabled(true);
      expect(publisher.local.cameraOn).to.equal(true);
      expect(sent).to.deep.equal([updateState(false, true)]);
      const camera = await untilCamera();

      publisher.setCameraEnabled(false);
      expect(publisher.local.cameraOn).to.equal(false);
      expect(local.at(-1)?.cameraOn).to.equal(false);
      expect(sent).to.deep.equal([updateState(false, true), updateState(false, false)]);
      await until(() => camera.readyState === 'ended', 'the camera to be released');
      expect(isDevice(localVideo.at(-1), 'video'), 'no camera track shown').to.equal(false);

      publisher.setCameraEnabled(true);
      const again = await untilCamera();
      expect(again.id, 'a fresh capture').to.not.equal(camera.id);
    });

    it('switches while publishing change what is pushed', async () => {
      publisher.attach(call);
      publisher.start({ audio: true, video: true });
      const [micPush, cameraPush] = partyTracks.pushes;
      const camera = await untilPushed(cameraPush, 'video');
      await untilPushed(micPush, 'audio');
      publisher.setCameraEnabled(false);
      publisher.setMicEnabled(false);
      await until(() => !isDevice(cameraPush.last, 'video'), 'black pushed instead of the camera');
      await until(() => !isDevice(micPush.last, 'audio'), 'silence pushed instead of the mic');
      expect(camera.readyState).to.equal('ended');
      expect(partyTracks.pushes, 'the same pushes').to.have.length(2);
      expect(states().at(-1)).to.deep.equal(updateState(false, false));
    });
  });

  it('denyPublishing() clears canPublish without sending', () => {
    publisher.attach(call);
    publisher.start({ audio: true, video: true });
    expect(publisher.local.canPublish).to.equal(true);
    sent.length = 0;
    publisher.denyPublishing();
    expect(publisher.local.canPublish).to.equal(false);
    expect(local.at(-1)?.canPublish).to.equal(false);
    expect(sent).to.deep.equal([]);
  });

  describe('reannounce()', () => {
    it('sends every publication and the state again', () => {
      publisher.attach(call);
      publisher.start({ audio: true, video: false });
      partyTracks.pushes[1].emit('s1', 'cam-1');
      partyTracks.pushes[0].emit('s1', 'mic-1');
      partyTracks.pushes[1].emit('s1', 'cam-2');
      sent.length = 0;
      publisher.reannounce();
      expect(sent).to.deep.equal([
        publish('camera', 's1', 'cam-2'),
        publish('microphone', 's1', 'mic-1'),
        updateState(true, false),
      ]);
      publisher.reannounce();
      expect(sent, 'every time').to.have.length(6);
    });

    it('sends only the state before anything was published', () => {
      publisher.attach(call);
      publisher.open({ audio: true, video: true });
      publisher.reannounce();
      expect(sent).to.deep.equal([updateState(true, true)]);
    });
  });

  describe('stop()', () => {
    it('closes the devices, stops the pushes and clears the local tracks', async () => {
      publisher.attach(call);
      publisher.start({ audio: true, video: true });
      const mic = await untilPushed(partyTracks.pushes[0], 'audio');
      const camera = await untilPushed(partyTracks.pushes[1], 'video');
      partyTracks.pushes[0].emit('s1', 'mic-1');
      publisher.stop();
      await until(() => mic.readyState === 'ended' && camera.readyState === 'ended', 'the devices to close');
      expect(partyTracks.pushes.map((p) => p.live)).to.deep.equal([0, 0]);
      let tracks: Partial<Record<string, MediaStreamTrack>> | undefined;
      publisher.localTracks$.subscribe((t) => (tracks = t)).unsubscribe();
      expect(tracks).to.deep.equal({});
      expect(localVideo.at(-1)).to.equal(undefined);
      expect(publisher.micTrackId).to.equal(undefined);
      expect(publisher.local, 'the switches keep their values').to.include({ micOn: true, cameraOn: true });

      const count = sent.length;
      publisher.reannounce();
      publisher.setMicEnabled(false);
      expect(sent, 'detached from the call').to.have.length(count);
      expect(publisher.start({ audio: true, video: true }), 'needs attach() again').to.equal(false);
    });

    it('closes a preview', async () => {
      publisher.open({ audio: false, video: true });
      const camera = await untilCamera();
      publisher.stop();
      expect(camera.readyState).to.equal('ended');
      expect(localVideo.at(-1)).to.equal(undefined);
    });

    it('lets a later start() publish afresh', async () => {
      publisher.attach(call);
      publisher.start({ audio: true, video: true });
      const first = await untilPushed(partyTracks.pushes[1], 'video');
      partyTracks.pushes[1].emit('s1', 'cam-1');
      publisher.stop();

      const second = new FakePartyTracks();
      sent.length = 0;
      publisher.attach({ ...call, partyTracks: second as unknown as PartyTracks });
      expect(publisher.start({ audio: true, video: true })).to.equal(true);
      expect(partyTracks.pushes, 'nothing more through the old call').to.have.length(2);
      expect(second.pushes).to.have.length(2);
      const camera = await untilPushed(second.pushes[1], 'video');
      expect(camera.id).to.not.equal(first.id);
      expect(cameraTrack()).to.equal(camera);
      second.pushes[1].emit('s1', 'cam-1');
      expect(publishes(), 'announced again in the new call').to.deep.equal([
        publish('camera', 's1', 'cam-1'),
      ]);
    });
  });

  describe('device errors', () => {
    it('a refused permission reports permission-denied and sets devicesBlocked', async () => {
      refuse = {
        audio: () => new DOMException('Permission denied', 'NotAllowedError'),
        video: () => new DOMException('Permission denied', 'NotAllowedError'),
      };
      publisher.attach(call);
      publisher.start({ audio: true, video: true });
      await until(() => errors.length === 2, 'both devices to fail');
      for (const error of errors) {
        expect(error).to.be.instanceOf(CallError);
        expect((error as CallError).code).to.equal('permission-denied');
        expect((error as CallError).recoverable).to.equal(true);
        expect(((error as CallError).cause as DOMException).name).to.equal('NotAllowedError');
      }
      expect(errors.map((e) => (e as CallError).message).join(' '))
        .to.match(/camera/)
        .and.match(/microphone/);
      expect(publisher.local).to.include({
        devicesBlocked: true,
        canPublish: true,
        micOn: false,
        cameraOn: false,
      });
      expect(states().at(-1), 'the room hears the switches went off').to.deep.equal(
        updateState(false, false),
      );
      expect(isDevice(localVideo.at(-1), 'video')).to.equal(false);

      publisher.stop();
      expect(publisher.local.devicesBlocked, 'asked again next time').to.equal(false);
    });

    it('a refused camera in a preview blocks devices but leaves canPublish alone', async () => {
      refuse = { video: () => new DOMException('Permission denied', 'NotAllowedError') };
      publisher.open({ audio: false, video: true });
      await until(() => errors.length === 1, 'the camera to fail');
      expect((errors[0] as CallError).code).to.equal('permission-denied');
      expect(publisher.local).to.include({ devicesBlocked: true, canPublish: false, cameraOn: false });
    });

    it('a missing camera reports no-device and comes back when the devices change', async () => {
      refuse = { video: () => new DOMException('Requested device not found', 'NotFoundError') };
      publisher.attach(call);
      publisher.open({ audio: false, video: true });
      await until(() => errors.length === 1, 'the camera to fail');
      expect((errors[0] as CallError).code).to.equal('no-device');
      expect(publisher.local).to.include({ cameraOn: false, devicesBlocked: false });

      refuse = {};
      mediaDevices.dispatchEvent(new Event('devicechange'));
      await until(() => publisher.local.cameraOn, 'the camera to come back');
      const camera = await untilCamera();
      expect(camera.readyState).to.equal('live');
      expect(states().at(-1)).to.deep.equal(updateState(false, true));
      expect(errors).to.have.length(1);
    });
  });

  describe('screen share', () => {
    afterEach(() => Reflect.deleteProperty(mediaDevices, 'getDisplayMedia'));

    const screenTrack = () => {
      let tracks: Partial<Record<string, MediaStreamTrack>> = {};
      publisher.localTracks$.subscribe((t) => (tracks = t)).unsubscribe();
      return tracks.screen;
    };
    const untilScreen = async () => {
      await until(() => screenTrack()?.label.startsWith('screen') ?? false, 'the shared screen’s track');
      return screenTrack()!;
    };

    it('does nothing without a call', () => {
      publisher.setScreenShareEnabled(true);
      expect(publisher.local.screenOn).to.equal(false);
      expect(partyTracks.pushes).to.have.length(0);
    });

    it('pushes the screen, announces it, and unpublishes it when turned off', async () => {
      publisher.attach(call);
      publisher.setScreenShareEnabled(true);
      expect(publisher.local.screenOn).to.equal(true);
      expect(partyTracks.pushes).to.have.length(1);
      const screen = await untilScreen();
      await until(() => partyTracks.pushes[0].last === screen, 'the screen pushed');
      partyTracks.pushes[0].emit('s1', 'screen-1');
      expect(publishes()).to.deep.equal([
        {
          v: PROTOCOL_VERSION,
          type: 'publish',
          track: { sessionId: 's1', trackName: 'screen-1', kind: 'video', source: 'screen-video' },
        },
      ]);
      publisher.setScreenShareEnabled(true);
      expect(partyTracks.pushes, 'already sharing').to.have.length(1);

      sent.length = 0;
      publisher.setScreenShareEnabled(false);
      expect(publisher.local.screenOn).to.equal(false);
      expect(sent).to.deep.equal([{ v: PROTOCOL_VERSION, type: 'unpublish', source: 'screen-video' }]);
      expect(screenTrack()).to.equal(undefined);
      expect(partyTracks.pushes[0].live).to.equal(0);
      expect(screen.readyState).to.equal('ended');
      sent.length = 0;
      publisher.reannounce();
      expect(publishes(), 'no longer announced').to.deep.equal([]);
    });

    it('keeps a push stopped before it landed until it lands, then closes it; sharing again reuses it', async () => {
      publisher.attach(call);
      publisher.setScreenShareEnabled(true);
      await untilScreen();
      publisher.setScreenShareEnabled(false);
      expect(publisher.local.screenOn).to.equal(false);
      expect(partyTracks.pushes[0].live, 'kept: partytracks leaks a push closed before it lands').to.equal(1);
      publisher.setScreenShareEnabled(true);
      expect(publisher.local.screenOn).to.equal(true);
      expect(partyTracks.pushes, 'the same push carries on').to.have.length(1);
      publisher.setScreenShareEnabled(false);
      sent.length = 0;
      partyTracks.pushes[0].emit('s1', 'screen-1');
      expect(partyTracks.pushes[0].live, 'closed once it landed').to.equal(0);
      expect(publishes(), 'a stopped share is never announced').to.deep.equal([]);
      publisher.setScreenShareEnabled(true);
      expect(partyTracks.pushes, 'a new share, a new push').to.have.length(2);
    });

    it('stops when the browser’s own “Stop sharing” ends the track', async () => {
      publisher.attach(call);
      publisher.setScreenShareEnabled(true);
      const screen = await untilScreen();
      partyTracks.pushes[0].emit('s1', 'screen-1');
      sent.length = 0;
      screen.dispatchEvent(new Event('ended'));
      await until(() => !publisher.local.screenOn, 'screenOn to clear');
      expect(sent).to.deep.equal([{ v: PROTOCOL_VERSION, type: 'unpublish', source: 'screen-video' }]);
      expect(screenTrack()).to.equal(undefined);
    });

    it('a cancelled picker just leaves screen sharing off', async () => {
      mediaDevices.getDisplayMedia = () => Promise.reject(new DOMException('Cancelled', 'NotAllowedError'));
      publisher.attach(call);
      publisher.setScreenShareEnabled(true);
      await until(() => !publisher.local.screenOn, 'screenOn to clear');
      expect(errors).to.deep.equal([]);
      expect(screenTrack()).to.equal(undefined);
    });

    it('reports a screen source that fails (partytracks ends the source before it says why)', async () => {
      mediaDevices.getDisplayMedia = () => Promise.reject(new DOMException('busy', 'NotReadableError'));
      publisher.attach(call);
      publisher.setScreenShareEnabled(true);
      await until(() => errors.length > 0, 'the error reported');
      expect((errors[0] as CallError).code).to.equal('device-in-use');
      expect(publisher.local.screenOn).to.equal(false);
    });

    it('stop() ends the share', async () => {
      publisher.attach(call);
      publisher.setScreenShareEnabled(true);
      const screen = await untilScreen();
      publisher.stop();
      expect(screen.readyState).to.equal('ended');
      expect(publisher.local.screenOn).to.equal(false);
      expect(partyTracks.pushes[0].live).to.equal(0);
    });
  });

  describe('micLevel$', () => {
    it('is 0 while the mic is off, and measures it while on', async () => {
      publisher.open({ audio: false, video: false });
      const levels: number[] = [];
      subscriptions.push(publisher.micLevel$.subscribe((level) => levels.push(level)));
      await wait(300);
      expect(levels).to.deep.equal([0]);

      publisher.setMicEnabled(true);
      await until(() => levels.length >= 4, 'level samples');
      expect(levels.every((level) => level >= 0 && level <= 1)).to.equal(true);

      publisher.setMicEnabled(false);
      const count = levels.length;
      expect(levels.at(-1)).to.equal(0);
      await wait(300);
      expect(levels, 'no sampling while off').to.have.length(count);
    });

    it('follows the microphone across stop() and open(): the old one is released, the new one measured', async () => {
      publisher.open({ audio: true, video: false });
      const levels: number[] = [];
      subscriptions.push(publisher.micLevel$.subscribe((level) => levels.push(level)));
      await until(() => levels.length >= 3, 'level samples');
      const first = findLiveAudio();
      expect(first, 'a live microphone').to.exist;
      publisher.stop();
      await until(() => levels.at(-1) === 0, 'silent after stop()');
      expect(first?.readyState, 'the old microphone is released').to.equal('ended');
      publisher.open({ audio: true, video: false });
      const before = levels.length;
      await until(() => levels.length >= before + 3, 'the new microphone measured');
    });

    it('is 0 before anything is open', async () => {
      const levels: number[] = [];
      subscriptions.push(publisher.micLevel$.subscribe((level) => levels.push(level)));
      await wait(200);
      expect(levels).to.deep.equal([0]);
    });
  });
});
