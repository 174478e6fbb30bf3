import { BehaviorSubject, Observable, Subject, map, distinctUntilChanged } from 'rxjs';
import type { CallBreakouts } from '../core/breakout-types.js';
import { callChanges$ } from '../core/call-changes.js';
import type { CallErrorDetail } from '../core/call-error.js';
import type { DeviceKind } from '../core/media-devices.js';
import type { RoomLobby } from '../protocol/index.js';
import type {
  CallHostRequest,
  CallReaction,
  HostControlsLike,
  ModerationAction,
  Reaction,
} from '../core/host-controls.js';
import type {
  CallParticipant,
  CallSessionLike,
  CallState,
  LocalMediaState,
  TrackStats,
  VideoSource,
  VideoView,
} from '../core/types.js';
import { createCanvasTrack } from './canvas-track.js';
import { memo } from '../core/memo.js';
import { FakeDeviceSource } from './fake-device-source.js';
import { FakeChat } from './fake-chat.js';

const NAMES = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Katherine Johnson',
  'Linus Torvalds',
  'Barbara Liskov',
  'Edsger Dijkstra',
  'Margaret Hamilton',
  'Donald Knuth',
  'Radia Perlman',
  'Ken Thompson',
  'Frances Allen',
];

export interface FakeSessionOptions {
  /** How many participants, the first one local. Default 1. */
  readonly participants?: number;
  readonly state?: CallState;
  /** Draw canvas video for participants whose camera is on. Default true (set false in unit tests). */
  readonly withVideo?: boolean;
  /** Indexes of participants who are speaking, muted, camera-off or sharing their screen. */
  readonly speaking?: readonly number[];
  readonly muted?: readonly number[];
  readonly videoOff?: readonly number[];
  readonly screen?: readonly number[];
  /** Stats every track reports. */
  readonly stats?: TrackStats;
  /** Who is in the room before joining (shown by a pre-join screen). */
  readonly lobby?: RoomLobby;
  readonly localMedia?: Partial<LocalMediaState>;
  /** Give the session a chat (`session.chat`, a `FakeChat`). Default true. */
  readonly chat?: boolean;
  /** Whether the page's token may use the host controls. Default false. */
  readonly canModerate?: boolean;
  /** Indexes of participants whose hand is up, in the order they raised it. */
  readonly hands?: readonly number[];
  /** Index of the participant a host spotlighted. */
  readonly spotlight?: number;
  /** How many watch without publishing (`watching$`). Default 0. */
  readonly watching?: number;
  /**
   * How many of the others are on the stage (a large room's top speakers, pulled); the rest are off it, with
   * no video. Default: everyone.
   */
  readonly stage?: number;
}

/**
 * A call session driven by the test or story instead of a server: set participants, states and stats, record
 * the commands elements send, and count live subscriptions to prove cleanup.
 */
export class FakeCallSession implements CallSessionLike, HostControlsLike {
  /** Commands received, e.g. `setMicEnabled(false)`, `join()`. */
  readonly calls: string[] = [];
  /** Breakout rooms, when a test or story sets some (e.g. a `FakeBreakouts`). */
  breakouts?: CallBreakouts;
  readonly #state: BehaviorSubject<CallState>;
  readonly #participants: BehaviorSubject<readonly CallParticipant[]>;
  readonly #localMedia: BehaviorSubject<LocalMediaState>;
  readonly #stats: BehaviorSubject<TrackStats>;
  readonly #levels = new BehaviorSubject<Readonly<Record<string, number>>>({});
  readonly #errors = new Subject<CallErrorDetail>();
  readonly #audioBlocked = new BehaviorSubject<boolean>(false);
  readonly #lobby: BehaviorSubject<RoomLobby | undefined>;
  readonly #micLevel = new BehaviorSubject<number>(0);
  readonly #watching: BehaviorSubject<number>;
  readonly #devices = new Map<string, FakeDeviceSource>();
  readonly #withVideo: boolean;
  readonly #ownTracks: MediaStreamTrack[] = [];
  readonly #canModerate: BehaviorSubject<boolean>;
  readonly #removed = new BehaviorSubject<boolean>(false);
  readonly #reactions = new Subject<CallReaction>();
  readonly #hostRequests = new Subject<CallHostRequest>();
  /** As CallSession's: a host request about to be obeyed, for `changes$`. */
  readonly #obeying = new Subject<CallHostRequest>();
  #reactionId = 0;
  /** Remote cameras are drawn at a quarter of the size, as the lowest simulcast layer. */
  #dataSaver = false;
  #subscriptions = 0;
  /** The call's chat: `receive()`, `drop()` and friends drive it; absent with `chat: false`. */
  readonly chat: FakeChat | undefined;

  constructor(options: FakeSessionOptions = {}) {
    this.#withVideo = options.withVideo ?? true;
    this.chat =
      options.chat === false
        ? undefined
        : new FakeChat({
            nameOf: (id) => this.#find(id)?.name ?? id,
            selfId: () => this.#participants.value.find((p) => p.isLocal)?.id ?? 'local',
            wrap: (source) => this.#counted(source),
          });
    this.#state = new BehaviorSubject(options.state ?? 'joined');
    const count = options.participants ?? 1;
    const list = Array.from({ length: count }, (_, i) =>
      this.makeParticipant({
        id: i === 0 ? 'local' : `p${i}`,
        name: NAMES[i % NAMES.length],
        isLocal: i === 0,
        speaking: options.speaking?.includes(i) ?? false,
        micOn: !(options.muted?.includes(i) ?? false),
        cameraOn: !(options.videoOff?.includes(i) ?? false),
        screenOn: options.screen?.includes(i) ?? false,
        onStage: options.stage === undefined || i <= options.stage,
      }),
    );
    const start = Date.now();
    options.hands?.forEach((index, order) => {
      const p = list[index];
      if (p) list[index] = { ...p, handRaised: true, handRaisedAt: start - 60_000 + order * 1000 };
    });
    const spotlit = options.spotlight === undefined ? undefined : list[options.spotlight];
    if (spotlit) list[options.spotlight!] = { ...spotlit, spotlighted: true };
    this.#participants = new BehaviorSubject<readonly CallParticipant[]>(list);
    this.#canModerate = new BehaviorSubject(options.canModerate ?? false);
    const local = list[0];
    this.#localMedia = new BehaviorSubject<LocalMediaState>({
      micOn: local?.micOn ?? true,
      cameraOn: local?.cameraOn ?? true,
      screenOn: local?.screenOn ?? false,
      talkingWhileMuted: false,
      canPublish: true,
      devicesBlocked: false,
      canShareScreen: true,
      ...options.localMedia,
    });
    this.#lobby = new BehaviorSubject(options.lobby);
    this.#watching = new BehaviorSubject(options.watching ?? 0);
    this.#stats = new BehaviorSubject<TrackStats>(
      options.stats ?? {
        packetLossPercent: 0,
        jitterMs: 4,
        roundTripTimeMs: 20,
        bitrateKbps: 600,
        framesPerSecond: 15,
        width: 320,
        height: 240,
        codec: 'video/VP8',
      },
    );
  }

  /** How many subscribers are listening right now, across every observable. */
  get activeSubscriptions(): number {
    return this.#subscriptions;
  }

  readonly state$ = this.#counted(() => this.#state);
  readonly participants$ = this.#counted(() => this.#participants);
  readonly stage$ = this.#counted(() =>
    this.#participants.pipe(map((list) => list.filter((p) => !p.isLocal && p.onStage).map((p) => p.id))),
  );
  readonly localMedia$ = this.#counted(() => this.#localMedia);
  readonly errors$ = this.#counted(() => this.#errors);
  readonly activeSpeaker$ = this.#counted(() =>
    this.#participants.pipe(
      map((list) => list.find((p) => p.speaking && !p.isLocal)?.id ?? list.find((p) => p.speaking)?.id),
      distinctUntilChanged(),
    ),
  );

  readonly changes$ = callChanges$(this, { obeying$: this.#obeying });
  readonly audioBlocked$ = this.#counted(() => this.#audioBlocked);
  readonly lobby$ = this.#counted(() => this.#lobby);
  readonly watching$ = this.#counted(() => this.#watching);
  readonly micLevel$ = this.#counted(() => this.#micLevel);
  readonly localVideo$ = this.#counted(() =>
    this.#participants.pipe(
      map((list) => list.find((p) => p.isLocal)?.video.camera),
      distinctUntilChanged(),
    ),
  );

  readonly hands$ = this.#counted(() =>
    this.#participants.pipe(
      map((list) =>
        list
          .filter((p) => p.handRaised)
          .map((p) => ({ participantId: p.id, raisedAt: p.handRaisedAt ?? 0 }))
          .sort((a, b) => a.raisedAt - b.raisedAt),
      ),
    ),
  );
  readonly spotlight$ = this.#counted(() =>
    this.#participants.pipe(
      map((list) => list.find((p) => p.spotlighted)?.id),
      distinctUntilChanged(),
    ),
  );
  readonly reactions$ = this.#counted(() => this.#reactions);
  readonly hostRequests$ = this.#counted(() => this.#hostRequests);
  readonly canModerate$ = this.#counted(() => this.#canModerate);
  readonly removed$ = this.#counted(() => this.#removed);

  readonly #levelStreams = new Map<string, Observable<number>>();
  audioLevel$(participantId: string): Observable<number> {
    return memo(this.#levelStreams, participantId, () =>
      this.#counted(() =>
        this.#levels.pipe(
          map((levels) => levels[participantId] ?? (this.#find(participantId)?.speaking ? 0.6 : 0)),
          distinctUntilChanged(),
        ),
      ),
    );
  }

  readonly #statsStreams = new Map<string, Observable<TrackStats>>();
  stats$(
    participantId: string,
    kind: 'audio' | 'video',
    source: VideoSource = 'camera',
  ): Observable<TrackStats> {
    return memo(this.#statsStreams, `${participantId}/${kind}/${source}`, () =>
      this.#counted(() => this.#stats),
    );
  }

  deviceSource(kind: DeviceKind): FakeDeviceSource {
    return memo(this.#devices, kind, () => new FakeDeviceSource(kind));
  }

  setMaxVideo(count: number): void {
    this.calls.push(`setMaxVideo(${count})`);
  }

  setPinned(participantId: string, pinned: boolean): void {
    this.calls.push(`setPinned(${participantId}, ${pinned})`);
  }

  setVideoView(
    participantId: string,
    source: VideoSource,
    _viewer: object,
    view: VideoView | undefined,
  ): void {
    this.calls.push(
      `setVideoView(${participantId}, ${source}, ${view ? (view.visible ? 'visible' : 'hidden') : 'gone'})`,
    );
  }

  setMaxBitrate(kbps: number | undefined): void {
    this.calls.push(`setMaxBitrate(${kbps})`);
  }

  /** Records the call, and redraws the remote cameras at a quarter of their size (the lowest layer). */
  setDataSaver(on: boolean): void {
    this.calls.push(`setDataSaver(${on})`);
    if (on === this.#dataSaver) return;
    this.#dataSaver = on;
    this.#participants.next(
      this.#participants.value.map((p) => {
        if (p.isLocal || !p.video.camera) return p;
        p.video.camera.stop();
        return this.makeParticipant({ ...p, video: { ...p.video, camera: undefined } });
      }),
    );
  }

  setMicEnabled(on: boolean): void {
    this.calls.push(`setMicEnabled(${on})`);
    this.#patchLocal({ micOn: on });
  }

  setCameraEnabled(on: boolean): void {
    this.calls.push(`setCameraEnabled(${on})`);
    this.#patchLocal({ cameraOn: on });
  }

  setScreenShareEnabled(on: boolean): void {
    this.calls.push(`setScreenShareEnabled(${on})`);
    this.#patchLocal({ screenOn: on });
  }

  setHandRaised(raised: boolean): void {
    this.calls.push(`setHandRaised(${raised})`);
    const local = this.#participants.value.find((p) => p.isLocal);
    if (!local) return;
    this.updateParticipant(local.id, { handRaised: raised, handRaisedAt: raised ? Date.now() : undefined });
  }

  react(emoji: Reaction): void {
    this.calls.push(`react(${emoji})`);
    const local = this.#participants.value.find((p) => p.isLocal);
    if (local) this.emitReaction(local.id, emoji);
  }

  moderate(action: ModerationAction, participantId: string): void {
    this.calls.push(`moderate(${action}, ${participantId})`);
  }

  startPreview(): void {
    this.calls.push('startPreview()');
  }

  stopPreview(): void {
    this.calls.push('stopPreview()');
  }

  async join(options: { displayName?: string } = {}): Promise<void> {
    this.calls.push(options.displayName === undefined ? 'join()' : `join(${options.displayName})`);
    this.#state.next('joined');
  }

  async leave(): Promise<void> {
    this.calls.push('leave()');
    this.#state.next('left');
  }

  async resumeAudio(): Promise<void> {
    this.calls.push('resumeAudio()');
    this.#audioBlocked.next(false);
  }

  // ---- knobs for tests and stories ----

  /** Set before `setState('joining')` for a join that took over the pre-join screen's early connection. */
  joiningConnected = false;

  setState(state: CallState): void {
    this.#state.next(state);
  }

  setParticipants(list: readonly CallParticipant[]): void {
    this.#participants.next(list);
  }

  /** Changes one participant, e.g. `updateParticipant('p1', { micOn: false })`. */
  updateParticipant(
    id: string,
    patch: Partial<Omit<CallParticipant, 'id' | 'video'>> & { withVideo?: boolean },
  ): void {
    this.#participants.next(
      this.#participants.value.map((p) => (p.id === id ? this.makeParticipant({ ...p, ...patch }) : p)),
    );
  }

  setStats(stats: TrackStats): void {
    this.#stats.next(stats);
  }

  setAudioLevel(participantId: string, level: number): void {
    this.#levels.next({ ...this.#levels.value, [participantId]: level });
  }

  setLobby(lobby: RoomLobby | undefined): void {
    this.#lobby.next(lobby);
  }

  setMicLevel(level: number): void {
    this.#micLevel.next(level);
  }

  /** As if the browser refused to play audio until the user interacts with the page. */
  setAudioBlocked(blocked: boolean): void {
    this.#audioBlocked.next(blocked);
  }

  setLocalMedia(patch: Partial<LocalMediaState>): void {
    this.#localMedia.next({ ...this.#localMedia.value, ...patch });
  }

  /** As if `participantId` sent a reaction. */
  emitReaction(participantId: string, emoji: Reaction): void {
    this.#reactions.next({ id: `r${++this.#reactionId}`, participantId, emoji });
  }

  /** As if a host asked this page's user something (mute and stop are obeyed, as CallSession does). */
  emitHostRequest(request: CallHostRequest): void {
    this.#obeying.next(request);
    if (request.request === 'mute-mic') this.setMicEnabled(false);
    if (request.request === 'stop-camera') this.setCameraEnabled(false);
    this.#hostRequests.next(request);
  }

  setCanModerate(canModerate: boolean): void {
    this.#canModerate.next(canModerate);
  }

  /** As if a host removed this page's user: the call ends in `error`, with `removed$` true. */
  setRemoved(): void {
    this.#removed.next(true);
    this.#errors.next({
      code: 'forbidden',
      message: 'You were removed from the call.',
      recoverable: false,
      cause: 4410,
    });
    this.#state.next('error');
  }

  emitError(detail: CallErrorDetail): void {
    this.#errors.next(detail);
  }

  /** Builds a participant with canvas video for whatever is switched on. */
  makeParticipant(p: Partial<CallParticipant> & { id: string; name: string }): CallParticipant {
    const cameraOn = p.cameraOn ?? true;
    const screenOn = p.screenOn ?? false;
    const hue = [...p.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
    const video: Partial<Record<VideoSource, MediaStreamTrack>> = {};
    const small = this.#dataSaver && !p.isLocal;
    // Off the stage nothing is pulled, so there is no video to draw.
    if (this.#withVideo && cameraOn && p.onStage !== false)
      video.camera = p.video?.camera ?? this.#track(p.name, hue, small);
    if (this.#withVideo && screenOn)
      video.screen = p.video?.screen ?? this.#track(`${p.name} screen`, (hue + 180) % 360);
    return {
      isLocal: false,
      micOn: true,
      speaking: false,
      handRaised: false,
      onStage: true,
      joinedAt: Date.now(),
      ...p,
      cameraOn,
      screenOn,
      video,
    };
  }

  /** Stops every canvas track it drew. */
  dispose(): void {
    this.#ownTracks.forEach((t) => t.stop());
  }

  #track(label: string, hue: number, small = false): MediaStreamTrack {
    const track = small ? createCanvasTrack(label, hue, 80, 60) : createCanvasTrack(label, hue);
    this.#ownTracks.push(track);
    return track;
  }

  #find(id: string): CallParticipant | undefined {
    return this.#participants.value.find((p) => p.id === id);
  }

  #patchLocal(patch: Partial<LocalMediaState>): void {
    this.#localMedia.next({ ...this.#localMedia.value, ...patch });
    const local = this.#participants.value.find((p) => p.isLocal);
    if (local) this.updateParticipant(local.id, patch);
  }

  #counted<T>(source: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.#subscriptions++;
      const inner = source().subscribe(subscriber);
      return () => {
        this.#subscriptions--;
        inner.unsubscribe();
      };
    });
  }
}
