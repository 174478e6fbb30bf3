import {
  BehaviorSubject,
  ReplaySubject,
  Subject,
  combineLatest,
  distinctUntilChanged,
  interval,
  map,
  shareReplay,
  startWith,
  switchMap,
  take,
  timer,
  type Observable,
} from 'rxjs';
import {
  PROTOCOL_VERSION,
  PresenceCloseCode,
  PresenceErrorCode,
  ProxyErrorCode,
  type ClientMessage,
  type ModerationAction,
  type Reaction,
  type RoomLobby,
} from '../protocol/index.js';
import {
  emptyModeration,
  reduceModeration,
  withModeration,
  type CallHostRequest,
  type CallReaction,
  type HostControlsLike,
  type ModerationState,
} from './host-controls.js';
import { callChanges$, type CallChange } from './call-changes.js';
import { BreakoutService } from './breakout-service.js';
import { ChatService } from './chat.js';
import { CallError, errorDetail, presenceError, proxyError, type CallErrorDetail } from './call-error.js';
import { createDeviceSource, type DeviceKind, type DeviceSource } from './media-devices.js';
import { JOIN_TIMEOUT_MS, watchJoinDeadline } from './join-deadline.js';
import { LobbyPeek } from './lobby.js';
import { memo } from './memo.js';
import { buildParticipants } from './participants.js';
import { openLiveCall, type LiveCall } from './live-call.js';
import { EarlyConnection } from './early-connection.js';
import { watchConnection } from './connection-watch.js';
import { Publisher } from './publisher.js';
import { emptyRoom, publicationKey, reduceRoom, watchingCount, type RoomState } from './room-state.js';
import { SpeakingLevels, microphones } from './speaking.js';
import { TokenLease } from './token-lease.js';
import type { CallToken } from './token-client.js';
import { participantTrackStats$ } from './track-stats.js';
import { connectedPeerConnection$, othersShown$ } from './first-media.js';
import { restartSession } from './partytracks-adapter.js';
import { ProxyHealth } from './proxy-health.js';
import { stagePlan$ } from './stage-pulls.js';
import { speakingAnnouncements$ } from './speaking-announcer.js';
import { DEFAULT_SIMULCAST_LAYERS, SINGLE_LAYER } from './simulcast.js';
import { VideoViews } from './video-views.js';
import type { VideoView } from './layer-steering.js';
import type {
  CallParticipant,
  CallSessionLike,
  CallSessionOptions,
  CallState,
  LocalMediaState,
  TrackStats,
  VideoSource,
} from './types.js';

/** At most one reclaim of the session per this long. */
const RECLAIM_INTERVAL_MS = 3_000;

/**
 * How often pulls look again at their tiles' views (steps that did not come, hidden pulls). A resized tile's
 * step waits for STEP_HOLD_MS, and then for the next tick: a short tick keeps that wait small.
 */
const VIEW_TICK_MS = 200;

/** How long a join waits for the pre-join screen's connection to come up, rather than making a new one. */
const EARLY_READY_WAIT_MS = 3_000;

/** The longest the first join waits for its pulls before showing the call and opening the camera anyway. */
const FIRST_PULLS_WAIT_MS = 1000;

/**
 * A call in one room, composed of its parts: a token lease, the presence socket, a publisher, a pull set and
 * the speaking levels. Exposes it all as observables. Usable without any element
 * (`new CallSession({ tokenEndpoint, room }).join()`); `<call-room>` creates one for you.
 */
export type { CallSessionOptions };

export class CallSession implements CallSessionLike, HostControlsLike {
  readonly #options: CallSessionOptions;
  readonly #state = new BehaviorSubject<CallState>('idle');
  readonly #room = new BehaviorSubject<RoomState>(emptyRoom);
  readonly #remoteTracks = new BehaviorSubject<ReadonlyMap<string, MediaStreamTrack>>(new Map());
  readonly #errors = new Subject<CallErrorDetail>();
  readonly #peerConnection = new BehaviorSubject<RTCPeerConnection | undefined>(undefined);
  /** The call server has failed partytracks' requests for a while (see ProxyHealth). */
  #proxyDegraded = false;
  /** The SFU session partytracks uses now. */
  #sessionId?: string;
  readonly #devices = new Map<string, DeviceSource>();
  readonly #statsStreams = new Map<string, Observable<TrackStats>>();
  readonly #lease: TokenLease;
  readonly #publisher = new Publisher((error) => this.#report(error));
  readonly #views: VideoViews;
  readonly #speaking = new SpeakingLevels();
  readonly #lobby = new LobbyPeek();
  readonly #pinned = new BehaviorSubject<ReadonlySet<string>>(new Set());
  readonly #maxVideo: BehaviorSubject<number>;
  readonly #stage = new BehaviorSubject<readonly string[]>([]);
  readonly #moderation = new BehaviorSubject<ModerationState>(emptyModeration);
  readonly #reactions = new Subject<CallReaction>();
  readonly #hostRequests = new Subject<CallHostRequest>();
  /** A host request about to be obeyed: tells `changes$` that the local media change that follows is theirs. */
  readonly #obeying = new Subject<CallHostRequest>();
  readonly #removed = new BehaviorSubject<boolean>(false);
  #call?: LiveCall;
  /** Emits once the others' media shows in this call (or the first pulls gave up waiting): chat starts then. */
  #othersShown = new ReplaySubject<void>(1);
  /** When a session was last reclaimed after a call server restart. */
  #lastReclaim = -Infinity;
  /** Between startPreview() and stopPreview() or the join. */
  #previewing = false;
  /** The media connection the preview opened ahead of the join (see `earlyConnect`). */
  #early?: EarlyConnection;
  /** This join took the early connection over. */
  #joinedEarly = false;
  /** Chat over the SFU's DataChannels: `messages$`, `send(text)`. Messages since this page joined. */
  readonly chat = new ChatService();
  /** Breakout rooms: the plan, where you are (`current$`), host actions. A move keeps the PeerConnection. */
  readonly breakouts = new BreakoutService();

  constructor(options: CallSessionOptions) {
    this.#options = options;
    this.#lease = new TokenLease({ ...options, onRefreshError: (error) => this.#report(error) });
    this.#maxVideo = new BehaviorSubject(options.maxVideo ?? Infinity);
    const layers =
      options.simulcast === false ? SINGLE_LAYER : (options.simulcast ?? DEFAULT_SIMULCAST_LAYERS);
    this.#publisher.configure(layers, {
      maxBitrateKbps: options.maxBitrateKbps,
      dataSaver: options.dataSaver,
    });
    this.#views = new VideoViews(layers);
    if (options.dataSaver) this.#views.setDataSaver(true);
  }

  // ---- observables ----

  readonly state$ = this.#state.pipe(distinctUntilChanged());
  readonly localMedia$: Observable<LocalMediaState> = this.#publisher.local$;
  readonly errors$ = this.#errors.asObservable();
  /** Whether the browser blocked audio playback until the user interacts; call `resumeAudio()` from a click. */
  readonly audioBlocked$ = new BehaviorSubject<boolean>(false);
  readonly activeSpeaker$: Observable<string | undefined> = this.#speaking.activeSpeaker$;
  /** Who is in the room before joining, once `startPreview()` asked the call server. */
  readonly lobby$: Observable<RoomLobby | undefined> = this.#lobby.lobby$;
  /** 0..1 loudness of the local microphone, measured on the device: works in the preview too. */
  readonly micLevel$: Observable<number> = this.#publisher.micLevel$;
  /** The local camera's track while it is open: the pre-join preview, then the self view. */
  readonly localVideo$: Observable<MediaStreamTrack | undefined> = this.#publisher.localVideo$;

  readonly participants$: Observable<readonly CallParticipant[]> = combineLatest({
    room: this.#room,
    remoteTracks: this.#remoteTracks,
    localTracks: this.#publisher.localTracks$,
    local: this.#publisher.local$,
    speaking: this.#speaking.speaking$,
    stage: this.#stage,
    moderation: this.#moderation,
  }).pipe(
    map((inputs) => withModeration(buildParticipants(inputs), inputs.moderation)),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  // ---- hands, reactions and host controls (HostControlsLike) ----

  readonly hands$ = this.#moderation.pipe(
    map((m) => m.hands),
    distinctUntilChanged(),
  );
  readonly spotlight$ = this.#moderation.pipe(
    map((m) => m.spotlight),
    distinctUntilChanged(),
  );
  readonly reactions$ = this.#reactions.asObservable();
  readonly hostRequests$ = this.#hostRequests.asObservable();
  readonly canModerate$ = this.#room.pipe(
    map((room) => (room.selfId ? (room.participants.get(room.selfId)?.canModerate ?? false) : false)),
    distinctUntilChanged(),
  );
  readonly removed$ = this.#removed.pipe(distinctUntilChanged());

  /** The remote participants whose video the call pulls (all of them up to `maxVideo`), in stable order. */
  readonly stage$: Observable<readonly string[]> = this.#stage.pipe(
    distinctUntilChanged((a, b) => a.length === b.length && a.every((id, i) => id === b[i])),
  );

  /** Viewers in the room (the server's count, plus listed members who don't publish), this page included. */
  readonly watching$: Observable<number> = this.#room.pipe(map(watchingCount), distinctUntilChanged());

  readonly changes$: Observable<CallChange> = callChanges$(this, { obeying$: this.#obeying });

  audioLevel$(participantId: string): Observable<number> {
    return this.#speaking.level$(participantId);
  }

  /** The peer connection once media can flow: stats and level polling wait for it. */
  readonly #connected$ = connectedPeerConnection$(this.#peerConnection);

  stats$(
    participantId: string,
    kind: 'audio' | 'video',
    source: VideoSource = 'camera',
  ): Observable<TrackStats> {
    return memo(this.#statsStreams, `${participantId}/${kind}/${source}`, () =>
      participantTrackStats$(this.participants$, this.#connected$, { participantId, kind, source }),
    );
  }

  deviceSource(kind: DeviceKind): DeviceSource {
    return memo(this.#devices, kind, () => createDeviceSource(kind));
  }

  get joiningConnected(): boolean {
    return this.#joinedEarly && this.#state.value === 'joining';
  }

  // ---- commands ----

  /**
   * Before joining: opens the camera and microphone (as `audio`/`video` say) for a preview, and asks the call
   * server who is in the room. The join then publishes these same tracks and reuses the room token.
   */
  startPreview(): void {
    if (this.#isLive()) return;
    this.#previewing = true;
    this.#lobby.start(this.#lease, this.#options.room, (error) => this.#report(error));
    // A viewer's token says so: then no camera or microphone is ever opened (no permission prompt either).
    const held = this.#lease.held();
    if (held) return this.#openPreview(held);
    void this.#lease.ensure().then(
      (token) => this.#openPreview(token),
      () => this.#openPreview(undefined), // the lobby reports the error; the preview still shows the devices
    );
  }

  #openPreview(token: CallToken | undefined): void {
    if (!this.#previewing || this.#isLive()) return;
    if (token && this.#options.earlyConnect !== false) {
      this.#early ??= new EarlyConnection(token, {
        iceServers: this.#options.iceServers,
        lease: this.#lease,
      });
    }
    if (token?.canPublish === false) return this.#publisher.denyPublishing();
    this.#publisher.open({ audio: this.#options.audio ?? true, video: this.#options.video ?? true });
  }

  /** Closes the preview's camera and microphone, and its early media connection, without joining. */
  stopPreview(): void {
    this.#previewing = false;
    if (this.#isLive()) return;
    this.#closeEarly();
    this.#publisher.stop();
    this.#lobby.stop();
  }

  #closeEarly(): void {
    this.#early?.close();
    this.#early = undefined;
  }

  /** Joins the room; `displayName` replaces the one of the options (a pre-join screen's name field). */
  async join(options: { displayName?: string } = {}): Promise<void> {
    const state = this.#state.value;
    if (state === 'joining' || state === 'joined' || state === 'reconnecting') return;
    this.#previewing = false;
    this.#lobby.stop();
    this.#removed.next(false); // a host's removal is told again by the server if it still holds
    const name = options.displayName ?? this.#options.displayName;
    // An early connection still coming up (Join clicked at once) is worth the wait: a fresh one takes longer,
    // and one thrown away lingers at the SFU until it gives up on it.
    if (this.#early && !this.#early.usable) {
      this.#state.next('joining');
      await this.#early.ready(EARLY_READY_WAIT_MS);
      if (this.#state.value !== 'joining') return; // left meanwhile
    }
    // With the pre-join screen's token in hand, the sockets open in this task, before the UI re-renders.
    const held = this.#lease.held(name);
    if (held) {
      // The preview's token, so the preview's early connection: the join takes it over.
      const early = this.#early?.handOver();
      this.#joinedEarly = early !== undefined;
      this.#closeEarly();
      this.#open(held, early);
      if (this.#state.value !== 'joining') this.#state.next('joining');
      return;
    }
    // A name changed on the pre-join screen: the new token names the old one, so an endpoint that honours it
    // (as for a refresh) keeps the user, and with it the early connection's SFU session.
    const early = this.#early?.usable ? this.#early : undefined;
    if (!early) this.#closeEarly();
    if (this.#state.value !== 'joining') this.#state.next('joining');
    let token;
    try {
      token = early ? await this.#lease.acquire(name, true) : await this.#lease.ensure(name);
    } catch (error) {
      this.#closeEarly();
      if (this.#state.value !== 'joining') return; // left meanwhile, which abandoned the fetch
      this.#fail(error);
      throw error;
    }
    const sameUser = early && token.userId !== undefined && token.userId === early.token.userId;
    const handed = sameUser && this.#early === early ? early.handOver() : undefined;
    this.#joinedEarly = handed !== undefined;
    this.#closeEarly();
    this.#open(token, handed);
  }

  #open(token: CallToken, early?: Parameters<typeof openLiveCall>[2]): void {
    const call = openLiveCall(
      token,
      {
        room: this.#options.room,
        iceServers: this.#options.iceServers,
        lease: this.#lease,
        onAudioBlocked: (blocked) => this.audioBlocked$.next(blocked),
        preferredRid$: (key) => this.#views.preferredRid$(key),
      },
      early,
    );
    this.#call = call;
    this.#publisher.attach({ partyTracks: call.partyTracks, send: (message) => this.#send(message) });
    call.teardown.add(call.pulls.tracks$.subscribe((tracks) => this.#remoteTracks.next(tracks)));
    this.#watchPresence(call);
    this.#watchConnection(call);
    this.#followSpeaker(call);
    this.#watchProxy(call);
    // A refreshed token keeps the open presence socket past the old token's expiry.
    call.teardown.add(
      this.#lease.onToken(({ token }) => call.presence.send({ v: PROTOCOL_VERSION, type: 'refresh', token })),
    );
    this.chat.clear();
    const othersShown = (this.#othersShown = new ReplaySubject<void>(1));
    call.teardown.add(
      this.breakouts.attach({
        messages$: call.presence.messages$,
        selfId: () => this.#room.value.selfId,
        send: (message) => this.#send(message),
      }),
    );
    call.teardown.add(
      this.chat.attach({
        // Its DataChannel requests would compete with the first pulls for the call server and the SFU.
        session$: othersShown.pipe(
          take(1),
          switchMap(() => call.partyTracks.session$),
        ),
        room$: this.#room,
        prefix: `${token.serverUrl}/partytracks`,
        headers: this.#lease.headers,
        announce: (message) => this.#send(message),
        busy: () => call.requests.busy(),
        expectsPush: () => {
          const { selfId, participants } = this.#room.value;
          const self = selfId === undefined ? undefined : participants.get(selfId);
          return token.canPublish !== false && self?.canPublish !== false;
        },
        maySend: token.canPublish !== false || token.canChat === true,
      }),
    );
    call.teardown.add(
      watchJoinDeadline({
        timeoutMs: this.#options.joinTimeoutMs ?? JOIN_TIMEOUT_MS,
        connected$: this.#connected$,
        joining: () => this.#state.value === 'joining',
        needsMedia: () => this.#needsMedia(),
        fail: (error) => this.#fail(error),
      }),
    );
  }

  /** Whether the call should have a media connection by now: it publishes, or someone else does. */
  #needsMedia(): boolean {
    const room = this.#room.value;
    const othersPublish = [...room.publications.values()].some((p) => p.participantId !== room.selfId);
    return othersPublish || this.#publisher.publishing;
  }

  async leave(): Promise<void> {
    if (this.#state.value === 'idle' || this.#state.value === 'left') return;
    this.#stop();
    this.#state.next('left');
  }

  /**
   * The most remote videos (cameras plus shared screens) pulled at once: the stage. Beyond it, participants
   * are listed without video; the most recent speakers and pinned participants are on it.
   */
  setMaxVideo(count: number): void {
    this.#maxVideo.next(Math.max(1, Math.floor(count)));
  }

  /** Pins a participant onto the stage on this page (or unpins); nobody else sees it. */
  setPinned(participantId: string, pinned: boolean): void {
    const next = new Set(this.#pinned.value);
    if (pinned) next.add(participantId);
    else next.delete(participantId);
    this.#pinned.next(next);
  }

  /**
   * How one tile shows a participant's video; `<video-tile>` calls it. The pull asks for the simulcast layer
   * the largest visible tile needs (size × devicePixelRatio), the lowest while no tile is visible, and is
   * closed after a few seconds of that (pulled again once a tile shows it).
   */
  setVideoView(
    participantId: string,
    source: VideoSource,
    viewer: object,
    view: VideoView | undefined,
  ): void {
    this.#views.report(
      publicationKey(participantId, source === 'screen' ? 'screen-video' : 'camera'),
      viewer,
      view,
    );
  }

  /** The most the camera sends, all simulcast layers together, in kbps; undefined lifts the cap. */
  setMaxBitrate(kbps: number | undefined): void {
    this.#publisher.setCaps({ maxBitrateKbps: kbps });
  }

  /** Data saver: pulled videos on their lowest layer, the camera's highest layer off. */
  setDataSaver(on: boolean): void {
    this.#publisher.setCaps({ dataSaver: on });
    this.#views.setDataSaver(on);
  }

  setMicEnabled(on: boolean): void {
    this.#publisher.setMicEnabled(on);
  }

  setCameraEnabled(on: boolean): void {
    this.#publisher.setCameraEnabled(on);
  }

  setScreenShareEnabled(on: boolean): void {
    this.#publisher.setScreenShareEnabled(on);
  }

  setHandRaised(raised: boolean): void {
    this.#send({ v: PROTOCOL_VERSION, type: 'hand', raised });
  }

  react(emoji: Reaction): void {
    this.#send({ v: PROTOCOL_VERSION, type: 'react', emoji });
  }

  moderate(action: ModerationAction, participantId: string): void {
    this.#send({ v: PROTOCOL_VERSION, type: 'moderate', action, participantId });
  }

  /** Retries audio playback after the browser blocked it; call it from a user gesture such as a click. */
  async resumeAudio(): Promise<void> {
    await this.#call?.audio.resume();
  }

  // ---- internals ----

  #watchPresence(call: LiveCall): void {
    const { presence, pulls, teardown } = call;
    teardown.add(
      presence.messages$.subscribe((message) => {
        this.#room.next(reduceRoom(this.#room.value, message));
        this.#onModerationMessage(message);
        if (message.type === 'hello') this.#onHello(message.self.canPublish, pulls);
        if (message.type === 'error' && message.code === PresenceErrorCode.notSessionOwner) {
          void this.#reclaimSession(call);
        } else if (message.type === 'error') {
          this.#report(new CallError('connection-failed', message.message, true, { cause: message.code }));
        }
      }),
    );
    teardown.add(presence.status$.subscribe(() => this.#followHealth(presence)));
    teardown.add(
      presence.failed$.subscribe(({ code }) => {
        if (code === PresenceCloseCode.removed) this.#removed.next(true);
        this.#fail(presenceError(code));
      }),
    );
    const plan$ = stagePlan$(
      combineLatest({
        room: this.#room,
        heard: this.#speaking.speaking$.pipe(startWith(new Set<string>())),
        // A host's spotlight pins for everyone, and goes first.
        pinned: combineLatest([this.#pinned, this.spotlight$]).pipe(
          map(([pinned, spotlight]) => (spotlight ? new Set([...pinned, spotlight]) : pinned)),
        ),
        first: this.spotlight$,
        maxVideo: this.#maxVideo,
      }),
    );
    // A video no tile has shown for a while is not pulled, whatever the stage says.
    teardown.add(
      combineLatest([plan$, this.#views.closed$]).subscribe(([plan, closed]) => {
        pulls.sync(plan.room, (p) => plan.wants(p) && !closed.has(publicationKey(p.participantId, p.source)));
        this.#stage.next(plan.stage);
      }),
    );
    teardown.add(interval(VIEW_TICK_MS).subscribe(() => this.#views.tick()));
    // Everyone ranks speakers from what each publisher says of itself: nobody needs everyone's audio.
    teardown.add(
      speakingAnnouncements$(
        this.#speaking.speaking$.pipe(map((ids) => ids.has(this.#room.value.selfId ?? ''))),
      ).subscribe((speaking) =>
        this.#send({ v: PROTOCOL_VERSION, type: 'update-state', state: { speaking } }),
      ),
    );
  }

  /** Hands, spotlight, reactions and host requests; a host's mute or stop is obeyed at once. */
  #onModerationMessage(message: Parameters<typeof reduceRoom>[1]): void {
    this.#moderation.next(reduceModeration(this.#moderation.value, message));
    if (message.type === 'reaction') {
      const { id, participantId, emoji } = message;
      this.#reactions.next({ id: String(id), participantId, emoji });
    } else if (message.type === 'host-request') {
      // Nobody can turn someone else's microphone or camera on: `ask-unmute` is only passed on.
      this.#obeying.next({ request: message.request, by: message.by });
      if (message.request === 'mute-mic') this.#publisher.setMicEnabled(false);
      if (message.request === 'stop-camera') this.#publisher.setCameraEnabled(false);
      this.#hostRequests.next({ request: message.request, by: message.by });
    }
  }

  #onHello(canPublish: boolean, pulls: LiveCall['pulls']): void {
    if (!canPublish) this.#publisher.denyPublishing();
    this.#publisher.reannounce();
    this.chat.reannounce();
    // What a joining user waits for is the others' media. Rendering the call and opening the camera each
    // busy the page (and, on a small machine, the CPU the handshakes need) for tens of ms. So on the first
    // hello the call renders once the pulls it asked for have their tracks (partytracks negotiates one
    // request at a time), and the camera opens once their first frame shows. After a reconnect, one task
    // lets the re-pulls leave first.
    if (this.#state.value !== 'joining') {
      this.#afterwards(timer(0), () => {
        if (this.#call) this.#followHealth(this.#call.presence);
        this.#othersShown.next();
        if (canPublish) this.#startPublishing();
      });
      return;
    }
    const tracks$ = pulls.arrivals$(FIRST_PULLS_WAIT_MS);
    this.#afterwards(tracks$, () => this.#state.next('joined'));
    const shown$ = tracks$.pipe(
      switchMap((tracks) => othersShown$(tracks, this.#connected$, FIRST_PULLS_WAIT_MS)),
    );
    this.#afterwards(shown$, () => {
      this.#othersShown.next();
      if (canPublish) this.#startPublishing();
    });
  }

  /** Runs `then` once `when$` emits, unless the call stopped meanwhile. */
  #afterwards(when$: Observable<unknown>, then: () => void): void {
    this.#call?.teardown.add(
      when$.pipe(take(1)).subscribe(() => {
        if (this.#isLive()) then();
      }),
    );
  }

  /** Joining, joined or reconnecting: not yet stopped by leave() or an error. */
  #isLive(): boolean {
    const state = this.#state.value;
    return state === 'joining' || state === 'joined' || state === 'reconnecting';
  }

  #startPublishing(): void {
    const { audio = true, video = true } = this.#options;
    this.#publisher.start({ audio, video });
  }

  /** The speaker chosen in the picker plays the call's audio: for a viewer as much as for a publisher. */
  #followSpeaker(call: LiveCall): void {
    const sink = call.audio.sink;
    if (!sink?.isSinkIdSupported) return;
    call.teardown.add(
      this.deviceSource('speaker').snapshot$.subscribe((s) => {
        if (s.active) sink.setSinkId(s.active.deviceId);
      }),
    );
  }

  #watchConnection({ partyTracks, teardown, presence }: LiveCall): void {
    const watch = watchConnection(partyTracks, this.#connected$, {
      session: ({ peerConnection, sessionId }) => {
        this.#sessionId = sessionId;
        this.#peerConnection.next(peerConnection);
        this.#followHealth(presence);
      },
      connectionState: () => this.#followHealth(presence),
      levels: (levels) => {
        const self = { id: this.#room.value.selfId, micTrackId: this.#publisher.micTrackId };
        const muted = !this.#publisher.local.micOn;
        this.#speaking.update(levels, microphones(this.#remoteTracks.value, { ...self, muted }));
      },
    });
    teardown.add(watch);
  }

  /**
   * Once joined, the state follows the call's health, re-read in full on every change of any part: `joined`
   * while the media connection, presence and the call server all work, `reconnecting` while any does not.
   * Deriving it (rather than flipping it on single events) means no missed event can leave it stuck.
   */
  #followHealth(presence: LiveCall['presence']): void {
    const state = this.#state.value;
    if (state !== 'joined' && state !== 'reconnecting') return;
    // A connection that is `new` or `connecting` has nothing to lose yet (a viewer alone pulls nothing).
    const media = this.#peerConnection.value?.connectionState;
    const mediaLost = media === 'disconnected' || media === 'failed' || media === 'closed';
    const healthy = !mediaLost && presence.status$.value === 'open' && !this.#proxyDegraded;
    const next = healthy ? 'joined' : 'reconnecting';
    if (next !== state) this.#state.next(next);
  }

  /**
   * Presence refused a publication of our session: the call server restarted and forgot who created it. One
   * request on the session with its lock takes it back (then the tracks are announced again); a 410 instead
   * starts a new session (ProxyHealth sees it). At most once per few seconds.
   */
  async #reclaimSession(call: LiveCall): Promise<void> {
    const sessionId = this.#sessionId;
    const now = performance.now();
    if (!sessionId || now - this.#lastReclaim < RECLAIM_INTERVAL_MS) return;
    this.#lastReclaim = now;
    const response = await fetch(`${call.prefix}/sessions/${sessionId}`, {
      headers: this.#lease.headers,
    }).catch(
      () => undefined, // guarded while the call lives; after it, nothing to do
    );
    if (response?.ok && call === this.#call) this.#publisher.reannounce();
  }

  /** How the call server answers partytracks: refusals, lost sessions and outages (see ProxyHealth). */
  #watchProxy({ requests, presence, teardown }: LiveCall): void {
    const health = new ProxyHealth(
      {
        refused: (errorCode) => void this.#onProxyRefusal(errorCode),
        sessionGone: () => {
          const pc = this.#peerConnection.value;
          if (pc) restartSession(pc);
        },
        degraded: () => {
          this.#proxyDegraded = true;
          this.#followHealth(presence);
        },
        recovered: () => {
          this.#proxyDegraded = false;
          this.#followHealth(presence);
        },
        failed: (errorCode) => this.#fail(proxyError(errorCode)),
      },
      { currentSessionId: () => this.#sessionId },
    );
    teardown.add(
      requests.outcomes$.subscribe((outcome) => {
        health.observe(outcome);
        if (outcome.errorCode === undefined) this.#lease.rearm();
      }),
    );
    teardown.add(() => health.stop());
  }

  /** A refused token gets one fresh one; `forbidden` after that is final, `unauthorized` waits out the outage. */
  async #onProxyRefusal(errorCode: string): Promise<void> {
    const call = this.#call;
    if (errorCode === ProxyErrorCode.removed) {
      this.#removed.next(true);
      return this.#fail(presenceError(PresenceCloseCode.removed));
    }
    if ((await this.#lease.refreshAfterRefusal()) || errorCode !== 'forbidden') return;
    if (call && call === this.#call) this.#fail(proxyError(errorCode)); // not after a leave or rejoin
  }

  #send(message: ClientMessage): void {
    this.#call?.presence.send(message);
  }

  #report(error: unknown): void {
    this.#errors.next(errorDetail(error));
  }

  #fail(error: unknown): void {
    this.#report(error);
    this.#stop();
    this.#state.next('error');
  }

  #stop(): void {
    this.#closeEarly();
    this.#joinedEarly = false;
    this.#lease.stop();
    const call = this.#call;
    this.#call = undefined; // from here on, nothing is sent
    call?.close();
    this.#publisher.stop();
    this.#remoteTracks.next(new Map());
    this.#speaking.clear();
    this.#room.next(emptyRoom);
    this.#stage.next([]);
    this.#moderation.next(emptyModeration);
    this.#peerConnection.next(undefined);
    this.#proxyDegraded = false;
    this.#sessionId = undefined;
    this.#lobby.clear();
  }
}
