// Which remote tracks the call pulls: every track the others publish, each pulled once, and dropped when its
// publication goes away or moves to another session (a publisher that reconnected). When one sync both opens
// and drops pulls (a breakout move swaps one room's media for another's), the new pulls go first: partytracks
// negotiates one request at a time, in order, and the new room's first frame should not wait for the old
// room's pulls to be closed. And a pulled track is shown as soon as it exists on the PeerConnection (the SFU's
// offer applied), not when partytracks hands it over after its whole negotiation: by the time media flows, the
// `<video>` has it.
import type { PartyTracks, SinkApi } from 'partytracks/client';
import {
  BehaviorSubject,
  EMPTY,
  catchError,
  merge,
  of,
  Subscription,
  shareReplay,
  take,
  takeUntil,
  takeWhile,
  timer,
  toArray,
  type Observable,
} from 'rxjs';
import type { Publication } from '../protocol/index.js';
import type { PulledTrack } from './partytracks-fetch.js';
import type { RoomState } from './room-state.js';

/** partytracks gives up on a pull silently; one without its track after this long is started over. */
export const PULL_STALL_MS = 10_000;

interface Pull {
  readonly sessionId: string;
  readonly trackName: string;
  readonly subscription: Subscription;
  /** The sink playing it, for audio: detached as soon as the pull is dropped, even if its close waits. */
  readonly playing?: Subscription;
  /** The pulled track once it exists (its media may not flow yet), then completes. */
  readonly arrived$: Observable<MediaStreamTrack>;
  /** The track, once partytracks handed it over. */
  track?: MediaStreamTrack;
  /** The same track earlier, once it exists on the PeerConnection (see placed()). */
  early?: MediaStreamTrack;
  /** `dropped`: no longer wanted. Its close may wait (see #retire), but it asks the SFU for nothing more. */
  readonly status: { dropped: boolean };
}

export class PullSet {
  /** Pulled tracks keyed like publications (`participantId/source`). */
  readonly tracks$ = new BehaviorSubject<ReadonlyMap<string, MediaStreamTrack>>(new Map());
  readonly #pulls = new Map<string, Pull>();
  /** The PeerConnection the pulls arrive on, to stop the transceivers of dropped pulls (see #close). */
  #peerConnection?: RTCPeerConnection;
  #peerConnectionWatch?: Subscription;
  /** Where the SFU placed pulls whose track does not exist yet, by m-line. */
  readonly #placed = new Map<string, PulledTrack>();
  /** What the last sync() was asked for: a stalled pull is started over from it. */
  #last?: { readonly room: RoomState; readonly wants: (publication: Publication) => boolean };
  /** Dropped pulls whose close waits for the pulls opened with it (see #retire); clear() closes them at once. */
  readonly #retiring = new Set<Subscription>();

  constructor(
    private readonly partyTracks: PartyTracks,
    /** Pulled audio plays here. */
    private readonly sink: SinkApi,
    /** A pull without its track after this long is started over. */
    private readonly stallMs = PULL_STALL_MS,
    /** The simulcast layer a pulled camera asks for, as it changes. */
    private readonly preferredRid$?: (key: string) => Observable<string>,
  ) {}

  /**
   * Pulls the media the room publishes (everyone's but our own) that `wants` picks (by default all of it), and
   * drops what it no longer does or is no longer wanted. Data channels (chat) are the chat service's.
   */
  sync(room: RoomState, wants: (publication: Publication) => boolean = () => true): void {
    this.#last = { room, wants };
    // Test fakes of PartyTracks may have no peerConnection$.
    const peerConnection$ = (this.partyTracks as Partial<PartyTracks>).peerConnection$;
    this.#peerConnectionWatch ??= peerConnection$?.subscribe((pc) => this.#watch(pc));
    const wanted = new Map(
      [...room.publications].filter(
        ([, p]) => p.participantId !== room.selfId && p.kind !== 'data' && wants(p),
      ),
    );
    const dropped: Pull[] = [];
    for (const [key, pull] of this.#pulls) {
      const publication = wanted.get(key);
      if (publication?.sessionId !== pull.sessionId || publication.trackName !== pull.trackName) {
        this.#pulls.delete(key);
        this.#setTrack(key, undefined);
        pull.status.dropped = true;
        dropped.push(pull);
      }
    }
    const opened: Pull[] = [];
    for (const [key, publication] of wanted) {
      if (!this.#pulls.has(key)) opened.push(this.#open(key, publication));
    }
    this.#retire(dropped, opened);
  }

  #open(key: string, publication: Publication): Pull {
    const { sessionId, trackName } = publication;
    const status = { dropped: false };
    // A dropped pull's tile is gone, which changes the layer it would ask for: not worth a `tracks/update`.
    const preferredRid$ =
      publication.source === 'camera'
        ? this.preferredRid$?.(key).pipe(takeWhile(() => !status.dropped))
        : undefined;
    const track$ = this.partyTracks
      .pull(
        of({ location: 'remote', sessionId, trackName }),
        preferredRid$ ? { simulcast: { preferredRid$ } } : {},
      )
      .pipe(shareReplay({ bufferSize: 1, refCount: true }));
    const arrived$ = track$.pipe(
      take(1),
      catchError(() => EMPTY),
    );
    const subscription = new Subscription();
    const playing = publication.kind === 'audio' ? this.sink.attach(track$) : undefined;
    const pull: Pull = { sessionId, trackName, subscription, playing, arrived$, status };
    subscription.add(
      track$.subscribe((track) => {
        pull.track = track;
        // A dropped pull waiting for its close may still get its track: it is no longer ours to show.
        if (this.#pulls.get(key) === pull) this.#setTrack(key, track);
      }),
    );
    if (playing) subscription.add(playing);
    this.#pulls.set(key, pull);
    // partytracks leaves a pull whose negotiation failed hanging, without an error or a retry: start it over.
    const stalled = setTimeout(() => {
      if (pull.track || this.#pulls.get(key) !== pull) return;
      this.#pulls.delete(key);
      pull.status.dropped = true;
      this.#close([pull]);
      if (this.#last) this.sync(this.#last.room, this.#last.wants);
    }, this.stallMs);
    subscription.add(() => clearTimeout(stalled));
    return pull;
  }

  /**
   * Where the SFU placed pulled tracks (the request guard's `pulled$`, told before partytracks reads the
   * answer): each is shown in `tracks$` once its m-line has a track, before partytracks hands it over.
   */
  placed(tracks: readonly PulledTrack[]): void {
    for (const track of tracks) this.#placed.set(track.mid, track);
  }

  #watch(pc: RTCPeerConnection): void {
    this.#peerConnection?.removeEventListener('track', this.#onTrack);
    this.#peerConnection = pc;
    pc.addEventListener('track', this.#onTrack);
  }

  readonly #onTrack = (event: RTCTrackEvent): void => {
    const mid = event.transceiver.mid;
    const placed = mid === null ? undefined : this.#placed.get(mid);
    if (!placed || mid === null) return;
    this.#placed.delete(mid);
    for (const [key, pull] of this.#pulls) {
      if (pull.sessionId !== placed.sessionId || pull.trackName !== placed.trackName) continue;
      if (pull.track || pull.early) continue;
      pull.early = event.track;
      this.#setTrack(key, event.track);
      return;
    }
  };

  /**
   * The tracks of the pulls now under way once every one has arrived, or those that arrived within `waitMs`.
   * Replays to every subscriber.
   */
  arrivals$(waitMs: number): Observable<MediaStreamTrack[]> {
    const pending = [...this.#pulls.values()].map((pull) => pull.arrived$);
    return merge(...pending).pipe(
      takeUntil(timer(waitMs)),
      toArray(),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
  }

  /** Drops every pull. */
  clear(): void {
    this.#last = undefined;
    for (const retiring of [...this.#retiring]) retiring.unsubscribe();
    const pulls = [...this.#pulls.values()];
    this.#pulls.clear();
    for (const pull of pulls) pull.status.dropped = true;
    this.#close(pulls);
    if (this.tracks$.value.size > 0) this.tracks$.next(new Map());
    this.#peerConnectionWatch?.unsubscribe();
    this.#peerConnectionWatch = undefined;
    this.#peerConnection?.removeEventListener('track', this.#onTrack);
    this.#peerConnection = undefined;
    this.#placed.clear();
  }

  /**
   * Closes dropped pulls: at once, or, when the same sync opened pulls, once those have their tracks (or
   * stalled). Until then the dropped ones are out of `tracks$` and their audio is off, but partytracks keeps
   * them, so its close queues behind the new pulls' negotiation rather than ahead of it.
   */
  #retire(dropped: readonly Pull[], opened: readonly Pull[]): void {
    if (dropped.length === 0) return;
    if (opened.length === 0) return this.#close(dropped);
    for (const pull of dropped) pull.playing?.unsubscribe();
    const retiring = merge(...opened.map((pull) => pull.arrived$))
      .pipe(takeUntil(timer(this.stallMs)))
      .subscribe();
    this.#retiring.add(retiring);
    // The wait ends when the new pulls are in, or when clear() ends it: either way, close them now.
    retiring.add(() => {
      this.#retiring.delete(retiring);
      this.#close(dropped);
    });
  }

  /** Ends pulls, in one task: partytracks closes them with one `tracks/close`. */
  #close(pulls: readonly Pull[]): void {
    // partytracks closes the pulls dropped in one task with one tracks/close, but stops only the first one's
    // transceiver: the others would stay receiving, unused, and their m-lines could never be recycled. So
    // each dropped pull's transceiver is stopped here, before partytracks makes the offer that closes them all.
    const transceivers = this.#peerConnection?.getTransceivers() ?? [];
    for (const pull of pulls) {
      const track = pull.track ?? pull.early;
      const transceiver = track && transceivers.find((t) => t.receiver.track === track);
      if (transceiver && transceiver.currentDirection !== 'stopped') transceiver.stop();
      pull.subscription.unsubscribe();
    }
  }

  #setTrack(key: string, track: MediaStreamTrack | undefined): void {
    if (this.tracks$.value.get(key) === track) return;
    const next = new Map(this.tracks$.value);
    if (track) next.set(key, track);
    else next.delete(key);
    this.tracks$.next(next);
  }
}
