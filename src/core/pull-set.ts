// Which remote tracks the call pulls: every track the others publish, each pulled once, and dropped when its
// publication goes away or moves to another session (a publisher that reconnected).
import type { PartyTracks, SinkApi } from 'partytracks/client';
import {
  BehaviorSubject,
  EMPTY,
  catchError,
  merge,
  of,
  shareReplay,
  take,
  takeUntil,
  timer,
  toArray,
  type Observable,
  type Subscription,
} from 'rxjs';
import type { Publication } from '../protocol/index.js';
import type { RoomState } from './room-state.js';

/** partytracks gives up on a pull silently; one without its track after this long is started over. */
export const PULL_STALL_MS = 10_000;

interface Pull {
  readonly sessionId: string;
  readonly trackName: string;
  readonly subscription: Subscription;
  /** The pulled track once it exists (its media may not flow yet), then completes. */
  readonly arrived$: Observable<MediaStreamTrack>;
}

export class PullSet {
  /** Pulled tracks keyed like publications (`participantId/source`). */
  readonly tracks$ = new BehaviorSubject<ReadonlyMap<string, MediaStreamTrack>>(new Map());
  readonly #pulls = new Map<string, Pull>();
  /** The PeerConnection the pulls arrive on, to stop the transceivers of dropped pulls (see #drop). */
  #peerConnection?: RTCPeerConnection;
  #peerConnectionWatch?: Subscription;
  /** The mids the SFU gave this set's pulls, until their transceivers show up (see #watchNegotiation). */
  readonly #pendingMids = new Map<string, string>();
  #negotiationWatch?: () => void;
  /** What the last sync() was asked for: a stalled pull is started over from it. */
  #last?: { readonly room: RoomState; readonly wants: (publication: Publication) => boolean };

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
    this.#negotiationWatch ??= this.#watchNegotiation();
    const wanted = new Map(
      [...room.publications].filter(
        ([, p]) => p.participantId !== room.selfId && p.kind !== 'data' && wants(p),
      ),
    );
    for (const [key, pull] of this.#pulls) {
      const publication = wanted.get(key);
      if (publication?.sessionId !== pull.sessionId || publication.trackName !== pull.trackName) {
        this.#drop(key, pull);
      }
    }
    for (const [key, publication] of wanted) {
      if (this.#pulls.has(key)) continue;
      const { sessionId, trackName } = publication;
      const preferredRid$ = publication.source === 'camera' ? this.preferredRid$?.(key) : undefined;
      const track$ = this.partyTracks
        .pull(
          of({ location: 'remote', sessionId, trackName }),
          preferredRid$ ? { simulcast: { preferredRid$ } } : {},
        )
        .pipe(shareReplay({ bufferSize: 1, refCount: true }));
      let arrived = false;
      const subscription = track$.subscribe((track) => {
        arrived = true;
        this.#setTrack(key, track);
      });
      if (publication.kind === 'audio') subscription.add(this.sink.attach(track$));
      const arrived$ = track$.pipe(
        take(1),
        catchError(() => EMPTY),
      );
      const pull: Pull = { sessionId, trackName, subscription, arrived$ };
      this.#pulls.set(key, pull);
      // partytracks leaves a pull whose negotiation failed hanging, without an error or a retry: start it over.
      const stalled = setTimeout(() => {
        if (arrived || this.#pulls.get(key) !== pull) return;
        this.#drop(key, pull);
        if (this.#last) this.sync(this.#last.room, this.#last.wants);
      }, this.stallMs);
      subscription.add(() => clearTimeout(stalled));
    }
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

  /**
   * A pulled video is handed out as soon as its transceiver exists, while partytracks still answers the SFU's
   * offer: partytracks emits it only after the renegotiation, the moment the SFU starts sending, and a
   * `<video>` given the track after its first frame was decoded shows the next one (67 ms later at 15 fps).
   * The mid comes from the SFU's answer in partytracks' request history. Returns the unsubscribe.
   */
  #watchNegotiation(): () => void {
    // Test fakes of PartyTracks may have neither.
    const { history, transceiver$ } = this.partyTracks as Partial<PartyTracks>;
    if (!history || !transceiver$) return () => {};
    const onLog = () => {
      const entry = history.entries[history.entries.length - 1];
      if (entry?.type !== 'response' || !entry.endpoint.includes('/tracks/new')) return;
      const answered = (entry.body as { tracks?: { sessionId?: string; trackName?: string; mid?: string }[] })
        ?.tracks;
      for (const item of answered ?? []) {
        const key = [...this.#pulls].find(
          ([, p]) => p.sessionId === item.sessionId && p.trackName === item.trackName,
        )?.[0];
        if (key && item.mid) this.#pendingMids.set(item.mid, key);
      }
    };
    history.addEventListener('logentry', onLog);
    const subscription = transceiver$.subscribe((transceiver) => {
      const key = transceiver.mid === null ? undefined : this.#pendingMids.get(transceiver.mid);
      if (key === undefined || transceiver.mid === null) return;
      this.#pendingMids.delete(transceiver.mid);
      const track = transceiver.receiver.track;
      if (track.kind === 'video' && this.#pulls.has(key) && !this.tracks$.value.has(key))
        this.#setTrack(key, track);
    });
    return () => {
      history.removeEventListener('logentry', onLog);
      subscription.unsubscribe();
    };
  }

  /** Drops every pull. */
  clear(): void {
    this.#last = undefined;
    this.#negotiationWatch?.();
    this.#negotiationWatch = undefined;
    this.#pendingMids.clear();
    for (const [key, pull] of this.#pulls) this.#drop(key, pull);
    this.#peerConnectionWatch?.unsubscribe();
    this.#peerConnectionWatch = undefined;
    this.#peerConnection = undefined;
  }

  #drop(key: string, pull: Pull): void {
    // partytracks closes the pulls dropped in one task with one tracks/close, but stops only the first one's
    // transceiver: the others would stay receiving, unused, and their m-lines could never be recycled. So
    // each dropped pull's transceiver is stopped here, before partytracks makes the offer that closes them all.
    const track = this.tracks$.value.get(key);
    const transceiver = track
      ? this.#peerConnection?.getTransceivers().find((t) => t.receiver.track === track)
      : undefined;
    if (transceiver && transceiver.currentDirection !== 'stopped') transceiver.stop();
    pull.subscription.unsubscribe();
    this.#pulls.delete(key);
    this.#setTrack(key, undefined);
  }

  #setTrack(key: string, track: MediaStreamTrack | undefined): void {
    const next = new Map(this.tracks$.value);
    if (track) next.set(key, track);
    else next.delete(key);
    this.tracks$.next(next);
  }
}
