// Which remote media the call pulls, from the stage: cameras of stage members only, every shared screen, and
// microphones up to a cap (beyond it, the most recent speakers'). Recomputed when the room, the voices, the
// pins or the stage size change, and every quarter second while a voice is on its way onto the stage.
import {
  BehaviorSubject,
  EMPTY,
  combineLatest,
  map,
  startWith,
  switchMap,
  timer,
  type Observable,
} from 'rxjs';
import type { Publication } from '../protocol/index.js';
import type { RoomState } from './room-state.js';
import { StageRanking, type StageCandidate } from './stage.js';

/** Microphones pulled at most; beyond it, those of the most recent speakers. */
export const AUDIO_PULL_CAP = 20;
const RANKING_TICK_MS = 250;

export interface StageInputs {
  readonly room: RoomState;
  /** Who speaks, as heard on this page (pulled audio). */
  readonly heard: ReadonlySet<string>;
  /** Participants pinned on this page. */
  readonly pinned: ReadonlySet<string>;
  /** The most remote videos (cameras and screens) to pull at once. */
  readonly maxVideo: number;
  /** Whom to put first on the stage when they are on it (a host's spotlight). */
  readonly first?: string;
}

export interface StagePlan {
  /** The room state the plan was made for. */
  readonly room: RoomState;
  /** Remote participants on the stage, in stable order. */
  readonly stage: readonly string[];
  /** Whether the call should pull this publication now. */
  readonly wants: (publication: Publication) => boolean;
}

/** The stage plan for each change of `inputs$`, and while voices are on their way in. */
export function stagePlan$(inputs$: Observable<StageInputs>): Observable<StagePlan> {
  const ranking = new StageRanking();
  const tick$ = new BehaviorSubject<void>(undefined);
  return combineLatest([inputs$, tick$]).pipe(
    map(([inputs]) => plan(ranking, inputs, performance.now())),
    // Entering the stage takes a voice that lasts: look again shortly while one is pending.
    switchMap((result) =>
      (ranking.pending ? timer(RANKING_TICK_MS).pipe(switchMap(() => (tick$.next(), EMPTY))) : EMPTY).pipe(
        startWith(result),
      ),
    ),
  );
}

function plan(ranking: StageRanking, inputs: StageInputs, now: number): StagePlan {
  const { room, heard, pinned, maxVideo } = inputs;
  const remote = [...room.participants.values()].filter((p) => p.id !== room.selfId && p.canPublish);
  const candidates: StageCandidate[] = remote.map((p) => ({
    id: p.id,
    joinedAt: p.joinedAt,
    speaking: p.state.speaking || heard.has(p.id),
    pinned: pinned.has(p.id),
  }));
  const publications = [...room.publications.values()].filter((p) => p.participantId !== room.selfId);
  const screens = publications.filter((p) => p.source === 'screen-video').length;
  const places = Math.max(1, maxVideo - screens);
  const ranked = ranking.update(candidates, places, now);
  const { first } = inputs;
  const stage = first && ranked.includes(first) ? [first, ...ranked.filter((id) => id !== first)] : ranked;
  const onStage = new Set(stage);
  const microphones = publications.filter((p) => p.source === 'microphone');
  const heardMics =
    microphones.length <= AUDIO_PULL_CAP
      ? undefined
      : new Set(
          ranking.recentSpeakers(
            candidates.filter((c) => microphones.some((m) => m.participantId === c.id)),
            AUDIO_PULL_CAP,
          ),
        );
  return {
    room,
    stage,
    wants: (publication) => {
      switch (publication.source) {
        case 'camera':
          return onStage.has(publication.participantId);
        case 'microphone':
          return !heardMics || heardMics.has(publication.participantId);
        default:
          return true;
      }
    },
  };
}
