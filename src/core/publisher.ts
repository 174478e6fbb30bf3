// What this participant sends: microphone, camera and screen share through partytracks, the local previews
// and switches (`LocalMediaState`), and the announcements that let the room pull them, sent again after every
// presence reconnect.
import {
  getCamera,
  getMic,
  getScreenshare,
  type MediaDevice,
  type PartyTracks,
  type Screenshare,
  type TrackMetadata,
} from 'partytracks/client';
import {
  BehaviorSubject,
  Subscription,
  combineLatest,
  distinctUntilChanged,
  fromEvent,
  map,
  tap,
  of,
  switchMap,
  take,
  type Observable,
} from 'rxjs';
import { PROTOCOL_VERSION, kindOfSource, type ClientMessage, type TrackSource } from '../protocol/index.js';
import { CallError, mediaErrorCode } from './call-error.js';
import { trackLevel$ } from './level-meter.js';
import { talkingWhileMuted$ } from './talking-while-muted.js';
import {
  DEFAULT_SIMULCAST_LAYERS,
  MIC_ENCODINGS,
  SCREEN_ENCODINGS,
  cameraEncodings,
  type SendCaps,
  type SimulcastLayer,
} from './simulcast.js';
import type { LocalMediaState, VideoSource } from './types.js';

/** A stopped share's push that has not landed by then is closed anyway. */
const SCREEN_LANDING_MS = 10_000;

/** What one call lends the publisher: its partytracks instance and its presence socket. */
export interface PublisherCall {
  readonly partyTracks: PartyTracks;
  readonly send: (message: ClientMessage) => void;
}

export class Publisher {
  readonly #local = new BehaviorSubject<LocalMediaState>({
    micOn: false,
    cameraOn: false,
    screenOn: false,
    talkingWhileMuted: false,
    canPublish: false,
    devicesBlocked: false,
    canShareScreen: typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia,
  });
  readonly #localTracks = new BehaviorSubject<Partial<Record<VideoSource, MediaStreamTrack>>>({});
  /** What was announced per source, sent again after every presence reconnect. */
  readonly #announced = new Map<TrackSource, TrackMetadata>();
  #call?: PublisherCall;
  /** The open devices and their previews: from `open()` (or `start()`) until `stop()`. */
  #devices = new Subscription();
  /** The pushes and what watches them: from `start()` until `stop()`. */
  #publishing = new Subscription();
  #pushing = false;
  #mic?: MediaDevice;
  /** The open microphone, for the level meter: it follows the device across `stop()` and `open()`. */
  readonly #mic$ = new BehaviorSubject<MediaDevice | undefined>(undefined);
  #camera?: MediaDevice;
  #screenshare?: Screenshare;
  /** The screen's push; it outlives a stop that came before it landed (see #stopScreenShare). */
  #screenPush?: Subscription;
  /** Whether the screen's push has landed (the SFU took it), and whether a stop waits for that. */
  #screenLanded = false;
  #screenClosing?: ReturnType<typeof setTimeout>;
  /** What follows the share while it is on: the local preview and the browser's "Stop sharing". */
  #screenWatch?: Subscription;
  #micTrackId?: string;
  readonly #caps = new BehaviorSubject<SendCaps>({});
  /** The camera's simulcast layers (one without simulcast). */
  #layers: readonly SimulcastLayer[] = DEFAULT_SIMULCAST_LAYERS;

  constructor(private readonly report: (error: unknown) => void) {}

  /** The camera's layers and caps, before `start()`. */
  configure(layers: readonly SimulcastLayer[], caps: SendCaps): void {
    this.#layers = layers;
    this.#caps.next(caps);
  }

  /** Caps on what the camera sends, applied to the live sender with setParameters (no renegotiation). */
  setCaps(caps: SendCaps): void {
    this.#caps.next({ ...this.#caps.value, ...caps });
  }

  readonly local$: Observable<LocalMediaState> = this.#local.asObservable();
  readonly localTracks$: Observable<Partial<Record<VideoSource, MediaStreamTrack>>> =
    this.#localTracks.asObservable();

  /** The local camera's track while it is open: the pre-join preview, then the self view. */
  readonly localVideo$: Observable<MediaStreamTrack | undefined> = this.#localTracks.pipe(
    map((tracks) => tracks.camera),
    distinctUntilChanged(),
  );

  /** Whether `start()` published this call's microphone and camera. */
  get publishing(): boolean {
    return this.#pushing;
  }

  get local(): LocalMediaState {
    return this.#local.value;
  }

  /** 0..1 loudness of the microphone, measured on the device (before joining too); 0 while it is off. */
  readonly micLevel$: Observable<number> = combineLatest([
    this.#local.pipe(
      map((local) => local.micOn),
      distinctUntilChanged(),
    ),
    this.#mic$,
  ]).pipe(
    switchMap(([on, mic]) =>
      on && mic ? mic.broadcastTrack$.pipe(switchMap((track) => trackLevel$(track))) : of(0),
    ),
  );

  /** The id of the published microphone track, once there is one (its level is measured from getStats). */
  get micTrackId(): string | undefined {
    return this.#micTrackId;
  }

  /** Binds to a call; nothing is published until `start()`. */
  attach(call: PublisherCall): void {
    this.#call = call;
  }

  /**
   * Opens the microphone and camera, each on or off as asked, for a preview: the camera's track shows in
   * `localTracks$`, nothing is sent. `start()` later publishes these same tracks. Once until `stop()`.
   */
  open(options: { audio: boolean; video: boolean }): void {
    if (this.#mic) return;
    const { audio, video } = options;
    // A muted start leaves the mic closed until unmuted (or the talking-while-muted meter opens it later).
    const mic = (this.#mic = getMic({ broadcasting: audio, activateSource: audio }));
    this.#mic$.next(mic);
    const camera = (this.#camera = getCamera({ broadcasting: video, activateSource: video }));
    this.#patch({ micOn: audio, cameraOn: video }, false);
    const d = this.#devices;
    d.add(camera.broadcastTrack$.subscribe((track) => this.#setLocalTrack('camera', track)));
    d.add(mic.broadcastTrack$.subscribe((track) => (this.#micTrackId = track.id)));
    d.add(mic.error$.subscribe((error) => this.#onDeviceError('microphone', error)));
    d.add(camera.error$.subscribe((error) => this.#onDeviceError('camera', error)));
  }

  /**
   * Publishes the microphone and camera (opening them first, as asked, unless a preview did). Once per call:
   * answers whether this call started publishing now.
   */
  start(options: { audio: boolean; video: boolean }): boolean {
    if (this.#pushing || !this.#call) return false;
    this.#pushing = true;
    this.open(options);
    const mic = this.#mic!;
    const camera = this.#camera!;
    this.#patch({ canPublish: true });
    const p = this.#publishing;
    p.add(this.#push('microphone', mic.broadcastTrack$, of([...MIC_ENCODINGS])));
    // The caps only. Camera-off layers and re-applying after each negotiation (so that paused layers stay
    // paused) made partytracks call setParameters on a sender mid-negotiation or after a reconnect, which it
    // does unguarded: unhandled rejections in the fault suite. Left out until that is guarded.
    const cameraEncodings$ = this.#caps.pipe(
      map((caps) => cameraEncodings(this.#layers, caps)),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    );
    p.add(this.#push('camera', camera.broadcastTrack$, cameraEncodings$));
    p.add(
      talkingWhileMuted$(mic, this.#local.pipe(map((local) => local.micOn))).subscribe((talking) => {
        if (talking !== this.#local.value.talkingWhileMuted)
          this.#patch({ talkingWhileMuted: talking }, false);
      }),
    );
    return true;
  }

  /** A viewer's token has no publish right. */
  denyPublishing(): void {
    this.#patch({ canPublish: false, viewer: true }, false);
  }

  setMicEnabled(on: boolean): void {
    const mic = this.#mic;
    if (!mic) return;
    if (on) {
      mic.enableSource();
      mic.startBroadcasting();
    } else mic.stopBroadcasting();
    this.#patch({ micOn: on });
  }

  setCameraEnabled(on: boolean): void {
    const camera = this.#camera;
    if (!camera) return;
    // Turning the source off too lets the camera light go out; a black track keeps the slot published.
    if (on) {
      camera.enableSource();
      camera.startBroadcasting();
    } else {
      camera.stopBroadcasting();
      camera.disableSource();
    }
    this.#patch({ cameraOn: on });
  }

  setScreenShareEnabled(on: boolean): void {
    if (!this.#call || on === this.#local.value.screenOn) return;
    if (!on) return this.#stopScreenShare();
    const screenshare = (this.#screenshare ??= this.#openScreenshare());
    screenshare.enableSource();
    screenshare.video.startBroadcasting();
    if (this.#screenPush) {
      // A share stopped before its push landed (a stop closes a landed push at once): carry on with that push
      // rather than start a second one. It is announced when it lands.
      clearTimeout(this.#screenClosing);
      this.#screenClosing = undefined;
    } else {
      this.#screenLanded = false;
      // Text stays sharp: the browser keeps the resolution and lowers the frame rate when short of bandwidth.
      const screen$ = screenshare.video.broadcastTrack$.pipe(tap((track) => (track.contentHint = 'detail')));
      this.#screenPush = this.#push('screen-video', screen$, of([...SCREEN_ENCODINGS]), () =>
        this.#screenLandedNow(),
      );
    }
    const watch = screenshare.video.broadcastTrack$.subscribe((track) =>
      this.#setLocalTrack('screen', track),
    );
    // The browser's own "Stop sharing" button ends the source.
    watch.add(
      screenshare.isSourceEnabled$.subscribe((enabled) => {
        if (!enabled) this.#stopScreenShare();
      }),
    );
    this.#screenWatch = watch;
    this.#patch({ screenOn: true });
  }

  /** The screen's push landed: announce it, or close it now if the share was stopped meanwhile. */
  #screenLandedNow(): boolean {
    this.#screenLanded = true;
    if (this.#screenClosing === undefined) return true;
    this.#closeScreenPush();
    return false;
  }

  #closeScreenPush(): void {
    clearTimeout(this.#screenClosing);
    this.#screenClosing = undefined;
    this.#screenPush?.unsubscribe();
    this.#screenPush = undefined;
    this.#screenLanded = false;
  }

  /**
   * The screen source, its errors watched for as long as the devices are open: partytracks ends the source
   * (which stops the share and its subscriptions) before it reports why.
   */
  #openScreenshare(): Screenshare {
    const screenshare = getScreenshare({ audio: false });
    this.#devices.add(
      screenshare.video.error$.subscribe((error) => {
        this.report(
          new CallError(mediaErrorCode(error), 'Screen sharing did not start.', true, { cause: error }),
        );
        this.#stopScreenShare();
      }),
    );
    return screenshare;
  }

  /** After a presence reconnect the server knows nothing of us: announce tracks and state again. */
  reannounce(): void {
    for (const [source, metadata] of this.#announced) this.#announce(source, metadata);
    this.#sendState();
  }

  /** Stops publishing and closes the devices (a preview's too); the switches keep their last values. */
  stop(): void {
    this.#stopScreenShare(true);
    this.#publishing.unsubscribe();
    this.#publishing = new Subscription();
    this.#devices.unsubscribe();
    this.#devices = new Subscription();
    this.#pushing = false;
    if (this.#local.value.devicesBlocked) this.#patch({ devicesBlocked: false }, false); // asked again next time
    this.#mic = this.#camera = this.#screenshare = undefined;
    this.#mic$.next(undefined);
    this.#micTrackId = undefined;
    this.#announced.clear();
    this.#localTracks.next({});
    this.#call = undefined;
  }

  /** `landed`, when given, hears each push result first; false keeps it unannounced. */
  #push(
    source: TrackSource,
    track$: Observable<MediaStreamTrack>,
    sendEncodings$: Observable<RTCRtpEncodingParameters[]>,
    landed?: () => boolean,
  ): Subscription {
    return this.#call!.partyTracks.push(track$, { sendEncodings$ }).subscribe((metadata) => {
      if (landed && !landed()) return;
      // partytracks re-pushes under a new session after a reconnect: the room must hear the new ids. It also
      // emits the same ids again when the source track changes (e.g. camera on): nothing to tell then.
      const known = this.#announced.get(source);
      if (known?.sessionId === metadata.sessionId && known?.trackName === metadata.trackName) return;
      this.#announced.set(source, metadata);
      this.#announce(source, metadata);
    });
  }

  #announce(source: TrackSource, metadata: TrackMetadata): void {
    if (!metadata.sessionId || !metadata.trackName) return;
    const { sessionId, trackName } = metadata;
    this.#call?.send({
      v: PROTOCOL_VERSION,
      type: 'publish',
      track: { sessionId, trackName, kind: kindOfSource[source], source },
    });
  }

  #sendState(): void {
    const { micOn, cameraOn } = this.#local.value;
    this.#call?.send({ v: PROTOCOL_VERSION, type: 'update-state', state: { micOn, cameraOn } });
  }

  #onDeviceError(source: 'microphone' | 'camera', error: Error): void {
    const code = mediaErrorCode(error);
    const wasOn = source === 'microphone' ? this.#local.value.micOn : this.#local.value.cameraOn;
    this.report(
      new CallError(code, `The ${source} is not available; you can still see and hear others.`, true, {
        cause: error,
      }),
    );
    this.#patch(source === 'microphone' ? { micOn: false } : { cameraOn: false });
    if (code === 'permission-denied') this.#patch({ devicesBlocked: true }, false);
    // partytracks gives up once every device failed; come back when the devices change (plugged in again).
    else if (wasOn) this.#resumeOnDeviceChange(source);
  }

  #resumeOnDeviceChange(source: 'microphone' | 'camera'): void {
    const resume = () => {
      const device = source === 'microphone' ? this.#mic : this.#camera;
      if (!device) return;
      device.enableSource();
      device.startBroadcasting();
      this.#patch(source === 'microphone' ? { micOn: true } : { cameraOn: true });
    };
    this.#devices.add(fromEvent(navigator.mediaDevices, 'devicechange').pipe(take(1)).subscribe(resume));
  }

  /**
   * Ends the share. partytracks leaks a push closed before it landed (it never closes that track on the SFU,
   * and its m-line is never recycled), so such a push is closed once it lands, or after a while; `now` is for
   * leaving, when the whole connection goes.
   */
  #stopScreenShare(now = false): void {
    this.#screenWatch?.unsubscribe();
    this.#screenWatch = undefined;
    if (now || this.#screenLanded) this.#closeScreenPush();
    else if (this.#screenPush && this.#screenClosing === undefined) {
      this.#screenClosing = setTimeout(() => this.#closeScreenPush(), SCREEN_LANDING_MS);
    }
    this.#screenshare?.video.stopBroadcasting();
    this.#screenshare?.disableSource();
    const announced = this.#announced.delete('screen-video');
    if (announced) this.#call?.send({ v: PROTOCOL_VERSION, type: 'unpublish', source: 'screen-video' });
    this.#setLocalTrack('screen', undefined);
    if (this.#local.value.screenOn) this.#patch({ screenOn: false }, false);
  }

  #patch(patch: Partial<LocalMediaState>, announce = true): void {
    this.#local.next({ ...this.#local.value, ...patch });
    if (announce) this.#sendState();
  }

  #setLocalTrack(source: VideoSource, track: MediaStreamTrack | undefined): void {
    this.#localTracks.next({ ...this.#localTracks.value, [source]: track });
  }
}
