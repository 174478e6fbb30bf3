// Which remote tracks the call pulls: every track the others publish, each pulled once, and dropped when its
// publication goes away or moves to another session (a publisher that reconnected). When one sync both opens
// and drops pulls (a breakout move swaps one room's media for another's), the new pulls go first: partytracks
// negotiates one request at a time, in order, and the new room's first frame should not wait for the old
// room's pulls to be closed.
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
  timer,
  toArray,
  type Observable,
} from 'rxjs';
import type { Publication } from '../protocol/index.js';
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
  /** The track, once it arrived. */
  track?: MediaStreamTrack;
}

export class PullSet {
  /** Pulled tracks keyed like publications (`participantId/source`). */
  readonly tracks$ = new BehaviorSubject<ReadonlyMap<string, MediaStreamTrack>>(new Map());
  readonly #pulls = new Map<string, Pull>();
  /** The PeerConnection the pulls arrive on, to stop the transceivers of dropped pulls (see #drop). */
  #peerConnection?: RTCPeerConnection;
  #peerConnectionWatch?: Subscription;
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
    this.#peerConnectionWatch ??= peerConnection$?.subscribe((pc) => (this.#peerConnection = pc));
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
    const preferredRid$ = publication.source === 'camera' ? this.preferredRid$?.(key) : undefined;
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
    const pull: Pull = { sessionId, trackName, subscription, playing, arrived$ };
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
      this.#close([pull]);
      if (this.#last) this.sync(this.#last.room, this.#last.wants);
    }, this.stallMs);
    subscription.add(() => clearTimeout(stalled));
    return pull;
  }

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
    this.#close(pulls);
    if (this.tracks$.value.size > 0) this.tracks$.next(new Map());
    this.#peerConnectionWatch?.unsubscribe();
    this.#peerConnectionWatch = undefined;
    this.#peerConnection = undefined;
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
      const transceiver = pull.track && transceivers.find((t) => t.receiver.track === pull.track);
      if (transceiver && transceiver.currentDirection !== 'stopped') transceiver.stop();
      pull.subscription.unsubscribe();
    }
  }

  #setTrack(key: string, track: MediaStreamTrack | undefined): void {
    if (!track && !this.tracks$.value.has(key)) return;
    const next = new Map(this.tracks$.value);
    if (track) next.set(key, track);
    else next.delete(key);
    this.tracks$.next(next);
  }
}
