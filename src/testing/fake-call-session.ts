import { BehaviorSubject, Observable, Subject, map, distinctUntilChanged } from 'rxjs';
import { callChanges$ } from '../core/call-changes.js';
import type { CallErrorDetail } from '../core/call-error.js';
import type { DeviceKind } from '../core/media-devices.js';
import type { RoomLobby } from '../protocol/index.js';
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
}

/**
 * A call session driven by the test or story instead of a server: set participants, states and stats, record
 * the commands elements send, and count live subscriptions to prove cleanup.
 */
export class FakeCallSession implements CallSessionLike {
  /** Commands received, e.g. `setMicEnabled(false)`, `join()`. */
  readonly calls: string[] = [];
  readonly #state: BehaviorSubject<CallState>;
  readonly #participants: BehaviorSubject<readonly CallParticipant[]>;
  readonly #localMedia: BehaviorSubject<LocalMediaState>;
  readonly #stats: BehaviorSubject<TrackStats>;
  readonly #levels = new BehaviorSubject<Readonly<Record<string, number>>>({});
  readonly #errors = new Subject<CallErrorDetail>();
  readonly #audioBlocked = new BehaviorSubject<boolean>(false);
  readonly #lobby: BehaviorSubject<RoomLobby | undefined>;
  readonly #micLevel = new BehaviorSubject<number>(0);
  readonly #devices = new Map<string, FakeDeviceSource>();
  readonly #withVideo: boolean;
  readonly #ownTracks: MediaStreamTrack[] = [];
  /** Remote cameras are drawn at a quarter of the size, as the lowest simulcast layer. */
  #dataSaver = false;
  #subscriptions = 0;

  constructor(options: FakeSessionOptions = {}) {
    this.#withVideo = options.withVideo ?? true;
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
      }),
    );
    this.#participants = new BehaviorSubject<readonly CallParticipant[]>(list);
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

  readonly changes$ = callChanges$(this);
  readonly audioBlocked$ = this.#counted(() => this.#audioBlocked);
  readonly lobby$ = this.#counted(() => this.#lobby);
  readonly micLevel$ = this.#counted(() => this.#micLevel);
  readonly localVideo$ = this.#counted(() =>
    this.#participants.pipe(
      map((list) => list.find((p) => p.isLocal)?.video.camera),
      distinctUntilChanged(),
    ),
  );

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
    if (this.#withVideo && cameraOn) video.camera = p.video?.camera ?? this.#track(p.name, hue, small);
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
