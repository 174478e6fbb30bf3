// Who is speaking: microphone levels per participant, smoothed so indicators don't flicker, and the loudest
// one as the active speaker. Levels come from getStats (`audioLevels$`), keyed by track id.
import { BehaviorSubject, distinctUntilChanged, map, shareReplay, type Observable } from 'rxjs';
import { memo } from './memo.js';
import { splitPublicationKey } from './room-state.js';

/** Louder than this (0..1) counts as speaking. */
export const SPEAKING_LEVEL = 0.04;

/** Exponential smoothing with a quick attack and a slow release. */
export function smoothLevel(previous: number, level: number): number {
  return level > previous ? level : previous * 0.7 + level * 0.3;
}

/** The microphone track whose level stands for each participant. */
export interface MicTrack {
  readonly participantId: string;
  readonly trackId: string;
  /** The local microphone: silent when muted or not measured. */
  readonly local?: { readonly muted: boolean };
}

/** The loudest participant above `SPEAKING_LEVEL`, if any. */
export function loudest(levels: ReadonlyMap<string, number>): string | undefined {
  let id: string | undefined;
  let max = SPEAKING_LEVEL;
  for (const [participantId, level] of levels) if (level > max) [id, max] = [participantId, level];
  return id;
}

export class SpeakingLevels {
  readonly #levels = new BehaviorSubject<ReadonlyMap<string, number>>(new Map());
  readonly #streams = new Map<string, Observable<number>>();

  /** Ids of everyone above `SPEAKING_LEVEL`; emits only when that set changes. */
  readonly speaking$: Observable<ReadonlySet<string>> = this.#levels.pipe(
    map((levels) =>
      [...levels]
        .filter(([, level]) => level > SPEAKING_LEVEL)
        .map(([id]) => id)
        .sort()
        .join('\n'),
    ),
    distinctUntilChanged(),
    map((ids) => new Set(ids ? ids.split('\n') : [])),
  );

  readonly activeSpeaker$: Observable<string | undefined> = this.#levels.pipe(
    map(loudest),
    distinctUntilChanged(),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  /** 0..1 smoothed level of one participant (0 when unknown). */
  level$(participantId: string): Observable<number> {
    return memo(this.#streams, participantId, () =>
      this.#levels.pipe(
        map((levels) => levels.get(participantId) ?? 0),
        distinctUntilChanged(),
      ),
    );
  }

  /**
   * Takes one getStats sample: levels by track id, for the participants' microphone tracks. Whoever has no
   * microphone in `mics` any more (left, or stopped publishing it) is silent from now on.
   */
  update(byTrack: ReadonlyMap<string, number>, mics: readonly MicTrack[]): void {
    const previous = this.#levels.value;
    const next = new Map<string, number>();
    for (const mic of mics) {
      const last = previous.get(mic.participantId);
      const sample = mic.local
        ? mic.local.muted
          ? 0
          : (byTrack.get(mic.trackId) ?? 0)
        : byTrack.get(mic.trackId);
      if (sample !== undefined) next.set(mic.participantId, smoothLevel(last ?? 0, sample));
      else if (last !== undefined) next.set(mic.participantId, last);
    }
    this.#levels.next(next);
  }

  clear(): void {
    this.#levels.next(new Map());
  }
}

/** Whose microphone level to measure: every pulled microphone (keyed `participantId/microphone`), and ours. */
export function microphones(
  remoteTracks: ReadonlyMap<string, MediaStreamTrack>,
  self: { readonly id?: string; readonly micTrackId?: string; readonly muted: boolean },
): MicTrack[] {
  const mics: MicTrack[] = [];
  for (const [key, track] of remoteTracks) {
    const [participantId, source] = splitPublicationKey(key);
    if (source === 'microphone') mics.push({ participantId, trackId: track.id });
  }
  if (self.id && self.micTrackId) {
    mics.push({ participantId: self.id, trackId: self.micTrackId, local: { muted: self.muted } });
  }
  return mics;
}
