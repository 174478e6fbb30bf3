import {
  PartyTracks,
  createAudioSink,
  getCamera,
  getMic,
  getScreenshare,
  type MediaDevice,
  type Screenshare,
  type SinkApi,
  type TrackMetadata,
} from 'partytracks/client';
import type { Observable } from 'rxjs';
import {
  BehaviorSubject,
  EMPTY,
  animationFrames,
  Subject,
  Subscription,
  catchError,
  combineLatest,
  defer,
  distinctUntilChanged,
  fromEvent,
  map,
  merge,
  of,
  shareReplay,
  startWith,
  switchMap,
  take,
  takeUntil,
  timer,
  toArray,
} from 'rxjs';
import { PROTOCOL_VERSION, PresenceCloseCode, kindOfSource, type TrackSource } from '../protocol/index.js';
import type { CallErrorDetail } from '../events/call-error.js';
import { CallError } from './call-error.js';
import {
  createDeviceSource,
  statusForMediaError,
  type DeviceKind,
  type DeviceSource,
} from './media-devices.js';
import { PresenceClient } from './presence-client.js';
import { emptyRoom, publicationKey, reduceRoom, type RoomState } from './room-state.js';
import { fetchCallToken, type CallToken } from './token-client.js';
import { memo } from './memo.js';
import { audioLevels$, firstFrameDecoded$, trackStats$ } from './track-stats.js';
import { trackLevel$ } from './level-meter.js';
import type {
  CallParticipant,
  CallSessionLike,
  CallState,
  LocalMediaState,
  TrackStats,
  VideoSource,
} from './types.js';

export interface CallSessionOptions {
  /** The site's endpoint that grants room tokens (`POST { room, name? }` → `{ token, serverUrl? }`). */
  readonly tokenEndpoint: string;
  readonly room: string;
  /** Sent to the token endpoint; the server decides the final name. */
  readonly displayName?: string;
  /** Publish the microphone on join (default true). */
  readonly audio?: boolean;
  /** Publish the camera on join (default true). */
  readonly video?: boolean;
  /**
   * ICE servers for the connection; by default those the token endpoint answered with, else the call
   * server's `generate-ice-servers` answer.
   */
  readonly iceServers?: RTCIceServer[];
}

/** Louder than this (0..1) counts as speaking. */
const SPEAKING_LEVEL = 0.04;
/** When to start listening for talking-while-muted, after the join: it needs the mic and WebAudio. */
const TALKING_WHILE_MUTED_START_MS = 1500;
/** How long the mic must pick up speech while muted before the hint shows. */
const TALKING_WHILE_MUTED_MS = 600;
/** Refresh the room token this long before it expires. */
const TOKEN_REFRESH_LEAD_MS = 60_000;
/** Refusals this soon after the fresh token arrived may be calls that left with the old one. */
const REFUSAL_GRACE_MS = 500;
/** The longest the first join waits for its pulls before showing the call and opening the camera anyway. */
const FIRST_PULLS_WAIT_MS = 1000;
/** partytracks error codes after which its endless retries cannot succeed with the same token. */
const AUTH_ERROR_CODES = new Set(['unauthorized', 'forbidden', 'rate_limited']);

/** Emits once every track has media (a pulled track stays muted until its first packets arrive). */
function untilUnmuted(tracks: readonly MediaStreamTrack[]): Observable<unknown> {
  const unmuted = tracks.map((track) => (track.muted ? fromEvent(track, 'unmute').pipe(take(1)) : of(true)));
  return merge(...unmuted).pipe(toArray());
}

const VIDEO_SOURCE: Partial<Record<TrackSource, VideoSource>> = {
  camera: 'camera',
  'screen-video': 'screen',
};

interface Pull {
  /** What was pulled: a re-push after a reconnect keeps the track name under a new session. */
  readonly sessionId: string;
  readonly trackName: string;
  readonly subscription: Subscription;
  /** The pulled track once it exists (its media may not flow yet), then completes. */
  readonly arrived$: Observable<MediaStreamTrack>;
}

/**
 * A call in one room: fetches the room token, joins presence, publishes the microphone and camera through
 * partytracks, pulls everyone else's tracks, plays their audio, and exposes it all as observables. Usable without
 * any element (`new CallSession({ tokenEndpoint, room }).join()`); `<call-room>` creates one for you.
 */
export class CallSession implements CallSessionLike {
  readonly #options: CallSessionOptions;
  readonly #state = new BehaviorSubject<CallState>('idle');
  readonly #room = new BehaviorSubject<RoomState>(emptyRoom);
  readonly #remoteTracks = new BehaviorSubject<ReadonlyMap<string, MediaStreamTrack>>(new Map());
  readonly #localTracks = new BehaviorSubject<Partial<Record<VideoSource, MediaStreamTrack>>>({});
  readonly #local = new BehaviorSubject<LocalMediaState>({
    micOn: false,
    cameraOn: false,
    screenOn: false,
    talkingWhileMuted: false,
    canPublish: false,
    canShareScreen: typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia,
  });
  readonly #levels = new BehaviorSubject<ReadonlyMap<string, number>>(new Map());
  readonly #errors = new Subject<CallErrorDetail>();
  readonly #peerConnection = new BehaviorSubject<RTCPeerConnection | undefined>(undefined);
  readonly #devices = new Map<string, DeviceSource>();
  /** What this participant announced per source, re-sent after every presence reconnect. */
  readonly #announced = new Map<TrackSource, TrackMetadata>();
  readonly #pulls = new Map<string, Pull>();
  #teardown = new Subscription();

  #token?: CallToken;
  #headers = new Headers();
  #partyTracks?: PartyTracks;
  #presence?: PresenceClient;
  #mic?: MediaDevice;
  #camera?: MediaDevice;
  #screenshare?: Screenshare;
  #screenPush?: Subscription;
  #sink?: SinkApi;
  #audioElement?: HTMLAudioElement;
  #refreshTimer?: ReturnType<typeof setTimeout>;
  /** The one token refresh a refusal earns; a refusal after it has settled ends the call. */
  #refusalRefresh?: { readonly done: Promise<boolean>; settledAt?: number };
  #localMicTrackId?: string;

  constructor(options: CallSessionOptions) {
    this.#options = options;
  }

  // ---- observables ----

  readonly state$ = this.#state.pipe(distinctUntilChanged());
  readonly localMedia$ = this.#local.asObservable();
  readonly errors$ = this.#errors.asObservable();
  /** Whether the browser blocked audio playback until the user interacts; call `resumeAudio()` from a click. */
  readonly audioBlocked$ = new BehaviorSubject<boolean>(false);

  readonly participants$: Observable<readonly CallParticipant[]> = combineLatest([
    this.#room,
    this.#remoteTracks,
    this.#localTracks,
    this.#local,
    this.#levels.pipe(
      map((levels) =>
        [...levels]
          .filter(([, l]) => l > SPEAKING_LEVEL)
          .map(([id]) => id)
          .sort()
          .join('\n'),
      ),
      distinctUntilChanged(),
    ),
  ]).pipe(
    map(([room, remote, localTracks, local, speakingIds]) =>
      this.#buildParticipants(room, remote, localTracks, local, new Set(speakingIds.split('\n'))),
    ),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  readonly activeSpeaker$: Observable<string | undefined> = this.#levels.pipe(
    map((levels) => {
      let loudest: string | undefined;
      let max = SPEAKING_LEVEL;
      for (const [id, level] of levels) {
        if (level > max) [loudest, max] = [id, level];
      }
      return loudest;
    }),
    distinctUntilChanged(),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  readonly #levelStreams = new Map<string, Observable<number>>();
  audioLevel$(participantId: string): Observable<number> {
    return memo(this.#levelStreams, participantId, () =>
      this.#levels.pipe(
        map((levels) => levels.get(participantId) ?? 0),
        distinctUntilChanged(),
      ),
    );
  }

  /**
   * The peer connection once media can flow, else undefined. Stats and level polling wait for it: getStats
   * calls during the join busy the page exactly when the first frame is on its way.
   */
  readonly #connectedPeerConnection$: Observable<RTCPeerConnection | undefined> = this.#peerConnection.pipe(
    switchMap((pc) =>
      pc
        ? fromEvent(pc, 'connectionstatechange').pipe(
            startWith(undefined),
            map(() => (pc.connectionState === 'connected' ? pc : undefined)),
            distinctUntilChanged(),
          )
        : of(undefined),
    ),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  readonly #statsStreams = new Map<string, Observable<TrackStats>>();
  stats$(
    participantId: string,
    kind: 'audio' | 'video',
    source: VideoSource = 'camera',
  ): Observable<TrackStats> {
    return memo(this.#statsStreams, `${participantId}/${kind}/${source}`, () => {
      const track$ = this.participants$.pipe(
        map((list) => {
          const p = list.find((x) => x.id === participantId);
          return kind === 'audio' ? p?.audio : p?.video[source];
        }),
        distinctUntilChanged(),
      );
      return combineLatest([this.#connectedPeerConnection$, track$]).pipe(
        switchMap(([pc, track]) => (pc && track ? trackStats$(pc, track) : EMPTY)),
        shareReplay({ bufferSize: 1, refCount: true }),
      );
    });
  }

  deviceSource(kind: DeviceKind): DeviceSource {
    return memo(this.#devices, kind, () => createDeviceSource(kind));
  }

  // ---- commands ----

  async join(): Promise<void> {
    const state = this.#state.value;
    if (state === 'joining' || state === 'joined' || state === 'reconnecting') return;
    this.#state.next('joining');
    this.#teardown = new Subscription();
    this.#refusalRefresh = undefined;
    try {
      this.#token = await fetchCallToken(this.#options.tokenEndpoint, {
        room: this.#options.room,
        name: this.#options.displayName,
      });
    } catch (error) {
      this.#fail(error);
      throw error;
    }
    this.#headers = new Headers({ Authorization: `Bearer ${this.#token.token}` });
    this.#scheduleTokenRefresh();
    // The presence socket first: open, join and hello take the longest, and the pulls wait for the hello.
    this.#connectPresence(this.#token.serverUrl);
    this.#partyTracks = new PartyTracks({
      prefix: `${this.#token.serverUrl}/partytracks`,
      headers: this.#headers,
      iceServers: this.#options.iceServers ?? this.#token.iceServers,
    });
    this.#watchPartyTracks(this.#partyTracks);
    this.#startAudioSink();
  }

  async leave(): Promise<void> {
    if (this.#state.value === 'idle' || this.#state.value === 'left') return;
    this.#stop();
    this.#state.next('left');
  }

  setMicEnabled(on: boolean): void {
    if (!this.#mic) return;
    if (on) {
      this.#mic.enableSource();
      this.#mic.startBroadcasting();
    } else this.#mic.stopBroadcasting();
    this.#patchLocal({ micOn: on });
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
    this.#patchLocal({ cameraOn: on });
  }

  setScreenShareEnabled(on: boolean): void {
    if (!this.#partyTracks || on === this.#local.value.screenOn) return;
    if (!on) return this.#stopScreenShare();
    const screenshare = (this.#screenshare ??= getScreenshare({ audio: false }));
    screenshare.enableSource();
    screenshare.video.startBroadcasting();
    const push = new Subscription();
    push.add(this.#publish('screen-video', screenshare.video.broadcastTrack$));
    push.add(screenshare.video.broadcastTrack$.subscribe((track) => this.#setLocalTrack('screen', track)));
    // The browser's own "Stop sharing" button ends the source.
    push.add(
      screenshare.isSourceEnabled$.subscribe((enabled) => {
        if (!enabled) this.#stopScreenShare();
      }),
    );
    push.add(
      screenshare.video.error$.subscribe((error) => {
        this.#report(
          new CallError(statusToCode(error), 'Screen sharing did not start.', true, { cause: error }),
        );
        this.#stopScreenShare();
      }),
    );
    this.#screenPush = push;
    this.#patchLocal({ screenOn: true });
  }

  /** Retries audio playback after the browser blocked it; call it from a user gesture such as a click. */
  async resumeAudio(): Promise<void> {
    await this.#audioElement?.play().then(
      () => this.audioBlocked$.next(false),
      () => this.audioBlocked$.next(true),
    );
  }

  // ---- internals ----

  #connectPresence(serverUrl: string): void {
    const url = `${serverUrl.replace(/^http/, 'ws')}/rooms/${encodeURIComponent(this.#options.room)}`;
    const presence = new PresenceClient({
      url,
      token: () => this.#token?.token ?? '',
      refreshToken: () => this.#refreshAfterRefusal(),
    });
    this.#presence = presence;
    this.#teardown.add(
      presence.messages$.subscribe((message) => {
        this.#room.next(reduceRoom(this.#room.value, message));
        if (message.type === 'hello') this.#handleHello(message.self.canPublish);
        if (message.type === 'error') {
          this.#report(new CallError('connection-failed', message.message, true, { cause: message.code }));
        }
      }),
    );
    this.#teardown.add(
      presence.status$.subscribe((status) => {
        if (status === 'reconnecting' && this.#state.value === 'joined') this.#state.next('reconnecting');
      }),
    );
    this.#teardown.add(presence.failed$.subscribe(({ code }) => this.#fail(presenceError(code))));
    this.#teardown.add(this.#room.subscribe((room) => this.#syncPulls(room)));
    presence.connect();
  }

  #handleHello(canPublish: boolean): void {
    // A viewer's token has no publish right: it only subscribes.
    if (!canPublish) this.#patchLocal({ canPublish: false }, false);
    // After a reconnect the server knows nothing of us: announce tracks and state again.
    for (const [source, metadata] of this.#announced) this.#announce(source, metadata);
    this.#sendState();
    // What a joining user waits for is the others' media. Rendering the call and opening the camera each
    // busy the page (and, on a small machine, the CPU the handshakes need) for tens of ms. So on the first
    // hello the call renders once the pulls it asked for have their tracks (partytracks negotiates one
    // request at a time), and the camera opens once their first frame shows. After a reconnect, one task
    // lets the re-pulls leave first.
    if (this.#state.value !== 'joining') {
      this.#afterwards(timer(0), () => {
        this.#state.next('joined');
        if (canPublish) this.#startPublishing();
      });
      return;
    }
    const tracks$ = this.#firstPulls$();
    this.#afterwards(tracks$, () => this.#state.next('joined'));
    if (canPublish)
      this.#afterwards(tracks$.pipe(switchMap((tracks) => this.#othersShown$(tracks))), () =>
        this.#startPublishing(),
      );
  }

  /**
   * Emits once the others' media shows: a video frame decoded and painted (or, with no video, every track
   * unmuted), or after FIRST_PULLS_WAIT_MS. Opening the camera is a long task; before the first frame is
   * painted it delays that frame.
   */
  #othersShown$(tracks: readonly MediaStreamTrack[]): Observable<unknown> {
    const videos = tracks.filter((track) => track.kind === 'video');
    const shown$ = videos.length
      ? this.#connectedPeerConnection$.pipe(
          switchMap((pc) => (pc ? merge(...videos.map((track) => firstFrameDecoded$(pc, track))) : EMPTY)),
          take(1),
          // The frame is painted at the next rendering opportunity; let that one pass, then leave the
          // rendering steps (a long task inside an animation frame callback would hold up the next frame).
          switchMap(() => animationFrames().pipe(take(2))),
          switchMap(() => timer(0)),
        )
      : untilUnmuted(tracks);
    return merge(shown$, timer(FIRST_PULLS_WAIT_MS)).pipe(take(1));
  }

  /** Runs `then` once `when$` emits, unless the call stopped meanwhile. */
  #afterwards(when$: Observable<unknown>, then: () => void): void {
    this.#teardown.add(
      when$.pipe(take(1)).subscribe(() => {
        if (this.#isLive()) then();
      }),
    );
  }

  /**
   * The tracks of the pulls now under way once every one has arrived, or those that arrived within
   * FIRST_PULLS_WAIT_MS. Replays to every subscriber.
   */
  #firstPulls$(): Observable<MediaStreamTrack[]> {
    const pending = [...this.#pulls.values()].map((pull) => pull.arrived$);
    return merge(...pending).pipe(
      takeUntil(timer(FIRST_PULLS_WAIT_MS)),
      toArray(),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
  }

  /** Joining, joined or reconnecting: not yet stopped by leave() or an error. */
  #isLive(): boolean {
    const state = this.#state.value;
    return state === 'joining' || state === 'joined' || state === 'reconnecting';
  }

  #startPublishing(): void {
    if (this.#mic) return;
    const publishAudio = this.#options.audio ?? true;
    const publishVideo = this.#options.video ?? true;
    // Joining muted leaves the mic closed until unmuted (or the talking-while-muted meter opens it later).
    const mic = (this.#mic = getMic({ broadcasting: publishAudio, activateSource: publishAudio }));
    const camera = (this.#camera = getCamera({ broadcasting: publishVideo, activateSource: publishVideo }));
    this.#patchLocal({ micOn: publishAudio, cameraOn: publishVideo, canPublish: true });
    this.#teardown.add(this.#publish('microphone', mic.broadcastTrack$));
    this.#teardown.add(this.#publish('camera', camera.broadcastTrack$));
    this.#teardown.add(camera.broadcastTrack$.subscribe((track) => this.#setLocalTrack('camera', track)));
    this.#teardown.add(mic.error$.subscribe((error) => this.#handleDeviceError('microphone', error)));
    this.#teardown.add(camera.error$.subscribe((error) => this.#handleDeviceError('camera', error)));
    this.#teardown.add(this.#watchTalkingWhileMuted(mic));
    this.#teardown.add(mic.broadcastTrack$.subscribe((track) => (this.#localMicTrackId = track.id)));
    // Speaker choice from the picker applies to the call's audio.
    this.#teardown.add(
      this.deviceSource('speaker').snapshot$.subscribe((s) => {
        if (s.active && this.#sink?.isSinkIdSupported) this.#sink.setSinkId(s.active.deviceId);
      }),
    );
  }

  #publish(source: TrackSource, track$: Observable<MediaStreamTrack>): Subscription {
    const partyTracks = this.#partyTracks!;
    return partyTracks.push(track$).subscribe((metadata) => {
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
    this.#presence?.send({
      v: PROTOCOL_VERSION,
      type: 'publish',
      track: {
        sessionId: metadata.sessionId,
        trackName: metadata.trackName,
        kind: kindOfSource[source],
        source,
      },
    });
  }

  #sendState(): void {
    const { micOn, cameraOn } = this.#local.value;
    this.#presence?.send({ v: PROTOCOL_VERSION, type: 'update-state', state: { micOn, cameraOn } });
  }

  /** Pulls every track other participants publish; drops pulls whose publication went away or moved. */
  #syncPulls(room: RoomState): void {
    const partyTracks = this.#partyTracks;
    if (!partyTracks) return;
    const wanted = new Map([...room.publications].filter(([, p]) => p.participantId !== room.selfId));
    for (const [key, pull] of this.#pulls) {
      const publication = wanted.get(key);
      if (publication?.sessionId !== pull.sessionId || publication.trackName !== pull.trackName) {
        pull.subscription.unsubscribe();
        this.#pulls.delete(key);
        this.#setRemoteTrack(key, undefined);
      }
    }
    for (const [key, publication] of wanted) {
      if (this.#pulls.has(key)) continue;
      const track$ = partyTracks
        .pull(of({ location: 'remote', sessionId: publication.sessionId, trackName: publication.trackName }))
        .pipe(shareReplay({ bufferSize: 1, refCount: true }));
      const subscription = track$.subscribe((track) => this.#setRemoteTrack(key, track));
      if (publication.kind === 'audio' && this.#sink) subscription.add(this.#sink.attach(track$));
      const arrived$ = track$.pipe(
        take(1),
        catchError(() => EMPTY),
      );
      const { sessionId, trackName } = publication;
      this.#pulls.set(key, { sessionId, trackName, subscription, arrived$ });
    }
  }

  #watchPartyTracks(partyTracks: PartyTracks): void {
    this.#teardown.add(partyTracks.peerConnection$.subscribe((pc) => this.#peerConnection.next(pc)));
    this.#teardown.add(
      partyTracks.peerConnectionState$.subscribe((state) => {
        const current = this.#state.value;
        if ((state === 'disconnected' || state === 'failed') && current === 'joined')
          this.#state.next('reconnecting');
        if (state === 'connected' && current === 'reconnecting' && this.#presence?.status$.value === 'open') {
          this.#state.next('joined');
        }
      }),
    );
    this.#teardown.add(
      this.#connectedPeerConnection$
        .pipe(switchMap((pc) => (pc ? audioLevels$(pc) : EMPTY)))
        .subscribe((levels) => this.#updateLevels(levels)),
    );
    // partytracks retries every failed call forever; a refused token needs a fresh one, then a stop.
    // (The logentry event carries no entry despite its typing: read the newest one.)
    const onLog = () => {
      const entry = partyTracks.history.entries.at(-1);
      const body = entry?.body as { errorCode?: unknown } | undefined;
      if (entry?.type !== 'response' || typeof body?.errorCode !== 'string') return;
      if (!AUTH_ERROR_CODES.has(body.errorCode)) return;
      void this.#handleProxyRefusal(body.errorCode);
    };
    partyTracks.history.addEventListener('logentry', onLog);
    this.#teardown.add(() => partyTracks.history.removeEventListener('logentry', onLog));
  }

  async #handleProxyRefusal(errorCode: string): Promise<void> {
    if (errorCode !== 'rate_limited' && (await this.#refreshAfterRefusal())) return;
    const code =
      errorCode === 'forbidden'
        ? 'forbidden'
        : errorCode === 'rate_limited'
          ? 'rate-limited'
          : 'token-failed';
    this.#fail(new CallError(code, `The call server refused the media connection (${errorCode}).`, false));
  }

  /**
   * Shared by the presence socket and the media proxy: the first refusal fetches one fresh token, refusals
   * during that fetch wait for it, and a refusal after it (with a short grace for calls already in flight with
   * the old token) means the fresh token was refused too.
   */
  async #refreshAfterRefusal(): Promise<boolean> {
    const attempt = this.#refusalRefresh;
    if (!attempt) {
      const done = this.#refreshToken();
      const entry: { done: Promise<boolean>; settledAt?: number } = { done };
      this.#refusalRefresh = entry;
      void done.then(() => (entry.settledAt = performance.now()));
      return done;
    }
    if (attempt.settledAt === undefined || performance.now() - attempt.settledAt < REFUSAL_GRACE_MS)
      return attempt.done;
    return false;
  }

  #startAudioSink(): void {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    // partytracks calls play() without handling a refusal; catching here keeps autoplay blocks from
    // becoming unhandled rejections, and tells the UI to ask for a click.
    const play = audio.play.bind(audio);
    audio.play = () => {
      const playing = play();
      playing.then(
        () => this.audioBlocked$.next(false),
        (error: unknown) => {
          if ((error as { name?: string }).name === 'NotAllowedError') this.audioBlocked$.next(true);
        },
      );
      return playing;
    };
    this.#audioElement = audio;
    this.#sink = createAudioSink({ audioElement: audio });
  }

  /**
   * Meters the microphone's monitor track while muted, to hint "are you talking?". Starts after the join has
   * settled, and only while muted: opening the mic and a WebAudio graph costs a busy main thread at the worst
   * moment, and while unmuted the level comes from getStats instead.
   */
  #watchTalkingWhileMuted(mic: MediaDevice): Subscription {
    let loudSince: number | undefined;
    return timer(TALKING_WHILE_MUTED_START_MS)
      .pipe(
        switchMap(() =>
          this.#local.pipe(
            map((local) => local.micOn),
            distinctUntilChanged(),
          ),
        ),
        switchMap((micOn) =>
          micOn
            ? of(0)
            : defer(() => {
                mic.enableSource(); // a muted join left the mic closed; listening needs it open
                return mic.localMonitorTrack$.pipe(switchMap((track) => trackLevel$(track)));
              }),
        ),
      )
      .subscribe((level) => {
        const loud = !this.#local.value.micOn && level > SPEAKING_LEVEL * 2;
        loudSince = loud ? (loudSince ?? performance.now()) : undefined;
        const talking = loudSince !== undefined && performance.now() - loudSince > TALKING_WHILE_MUTED_MS;
        if (talking !== this.#local.value.talkingWhileMuted)
          this.#patchLocal({ talkingWhileMuted: talking }, false);
      });
  }

  /** Levels from getStats: inbound streams for everyone else, the pushed mic's media source for us. */
  #updateLevels(byTrack: Map<string, number>): void {
    const next = new Map(this.#levels.value);
    for (const [key, track] of this.#remoteTracks.value) {
      if (!key.endsWith('/microphone')) continue;
      const level = byTrack.get(track.id);
      const participantId = key.slice(0, -'/microphone'.length);
      if (level !== undefined) next.set(participantId, smooth(next.get(participantId) ?? 0, level));
    }
    const selfId = this.#room.value.selfId;
    if (selfId && this.#localMicTrackId) {
      const level = this.#local.value.micOn ? (byTrack.get(this.#localMicTrackId) ?? 0) : 0;
      next.set(selfId, smooth(next.get(selfId) ?? 0, level));
    }
    this.#levels.next(next);
  }

  #handleDeviceError(source: 'microphone' | 'camera', error: Error): void {
    const code = statusToCode(error);
    const wasOn = source === 'microphone' ? this.#local.value.micOn : this.#local.value.cameraOn;
    this.#report(
      new CallError(code, `The ${source} is not available; you can still see and hear others.`, true, {
        cause: error,
      }),
    );
    this.#patchLocal(source === 'microphone' ? { micOn: false } : { cameraOn: false });
    if (code === 'permission-denied') this.#patchLocal({ canPublish: false }, false);
    // partytracks gives up once every device failed; come back when the devices change (plugged in again).
    else if (wasOn) this.#resumeOnDeviceChange(source);
  }

  #resumeOnDeviceChange(source: 'microphone' | 'camera'): void {
    const resume = () => {
      const device = source === 'microphone' ? this.#mic : this.#camera;
      if (!device) return;
      device.enableSource();
      device.startBroadcasting();
      this.#patchLocal(source === 'microphone' ? { micOn: true } : { cameraOn: true });
    };
    this.#teardown.add(fromEvent(navigator.mediaDevices, 'devicechange').pipe(take(1)).subscribe(resume));
  }

  async #refreshToken(): Promise<boolean> {
    try {
      this.#token = await fetchCallToken(this.#options.tokenEndpoint, {
        room: this.#options.room,
        name: this.#options.displayName,
      });
      // partytracks reads these headers on every request, so the next call carries the new token.
      this.#headers.set('Authorization', `Bearer ${this.#token.token}`);
      this.#scheduleTokenRefresh();
      return true;
    } catch (error) {
      this.#report(error);
      return false;
    }
  }

  #scheduleTokenRefresh(): void {
    clearTimeout(this.#refreshTimer);
    const expiresAt = this.#token?.expiresAt;
    if (!expiresAt) return;
    const delay = Math.max(5_000, expiresAt - Date.now() - TOKEN_REFRESH_LEAD_MS);
    this.#refreshTimer = setTimeout(() => void this.#refreshToken(), delay);
  }

  #stopScreenShare(): void {
    this.#screenPush?.unsubscribe();
    this.#screenPush = undefined;
    this.#screenshare?.video.stopBroadcasting();
    this.#screenshare?.disableSource();
    const announced = this.#announced.get('screen-video');
    this.#announced.delete('screen-video');
    if (announced) this.#presence?.send({ v: PROTOCOL_VERSION, type: 'unpublish', source: 'screen-video' });
    this.#setLocalTrack('screen', undefined);
    if (this.#local.value.screenOn) this.#patchLocal({ screenOn: false }, false);
  }

  #patchLocal(patch: Partial<LocalMediaState>, announce = true): void {
    this.#local.next({ ...this.#local.value, ...patch });
    if (announce) this.#sendState();
  }

  #setLocalTrack(source: VideoSource, track: MediaStreamTrack | undefined): void {
    this.#localTracks.next({ ...this.#localTracks.value, [source]: track });
  }

  #setRemoteTrack(key: string, track: MediaStreamTrack | undefined): void {
    const next = new Map(this.#remoteTracks.value);
    if (track) next.set(key, track);
    else next.delete(key);
    this.#remoteTracks.next(next);
  }

  #buildParticipants(
    room: RoomState,
    remote: ReadonlyMap<string, MediaStreamTrack>,
    localTracks: Partial<Record<VideoSource, MediaStreamTrack>>,
    local: LocalMediaState,
    speaking: ReadonlySet<string>,
  ): CallParticipant[] {
    const list = [...room.participants.values()].map((p): CallParticipant => {
      const isLocal = p.id === room.selfId;
      const published = (source: TrackSource) => room.publications.has(publicationKey(p.id, source));
      const video: Partial<Record<VideoSource, MediaStreamTrack>> = {};
      for (const source of ['camera', 'screen-video'] as const) {
        const track = isLocal ? localTracks[VIDEO_SOURCE[source]!] : remote.get(publicationKey(p.id, source));
        if (track) video[VIDEO_SOURCE[source]!] = track;
      }
      return {
        id: p.id,
        name: p.name,
        isLocal,
        joinedAt: p.joinedAt,
        micOn: isLocal ? local.micOn : p.state.micOn && published('microphone'),
        cameraOn: isLocal ? local.cameraOn : p.state.cameraOn && published('camera'),
        screenOn: isLocal ? local.screenOn : published('screen-video'),
        speaking: speaking.has(p.id),
        handRaised: p.state.handRaised,
        video,
        audio: isLocal ? undefined : remote.get(publicationKey(p.id, 'microphone')),
      };
    });
    return list.sort((a, b) => Number(b.isLocal) - Number(a.isLocal) || a.joinedAt - b.joinedAt);
  }

  #report(error: unknown): void {
    const detail =
      error instanceof CallError
        ? error.detail
        : {
            code: 'connection-failed' as const,
            message: String((error as Error)?.message ?? error),
            recoverable: true,
            cause: error,
          };
    this.#errors.next(detail);
  }

  #fail(error: unknown): void {
    this.#report(error);
    this.#stop();
    this.#state.next('error');
  }

  #stop(): void {
    clearTimeout(this.#refreshTimer);
    this.#presence?.close();
    this.#presence = undefined;
    this.#stopScreenShare();
    for (const pull of this.#pulls.values()) pull.subscription.unsubscribe();
    this.#pulls.clear();
    this.#teardown.unsubscribe();
    this.#sink?.cleanup();
    this.#mic = this.#camera = this.#screenshare = undefined;
    this.#announced.clear();
    this.#remoteTracks.next(new Map());
    this.#localTracks.next({});
    this.#levels.next(new Map());
    this.#room.next(emptyRoom);
    this.#peerConnection.next(undefined);
  }
}

/** Exponential smoothing with a quick attack and a slow release, so speaking indicators don't flicker. */
function smooth(previous: number, level: number): number {
  return level > previous ? level : previous * 0.7 + level * 0.3;
}

function statusToCode(error: unknown) {
  const status = statusForMediaError(error);
  return status === 'ready' || status === 'needs-permission' ? 'permission-denied' : status;
}

function presenceError(code: number): CallError {
  switch (code) {
    case PresenceCloseCode.unauthorized:
      return new CallError('token-failed', 'The room token was refused.', false, { cause: code });
    case PresenceCloseCode.forbidden:
      return new CallError('forbidden', 'This token does not allow joining this room.', false, {
        cause: code,
      });
    case PresenceCloseCode.replaced:
      return new CallError('connection-failed', 'You joined this room from another tab or window.', false, {
        cause: code,
      });
    default:
      return new CallError('connection-failed', 'The room connection was closed.', false, { cause: code });
  }
}
