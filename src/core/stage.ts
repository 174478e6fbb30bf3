// Who is on the stage: the remote participants whose video the call pulls when the room is bigger than the
// screen. Pinned participants first, then the most recent speakers. Positions are stable (a newcomer takes
// the place of the least recent speaker, nobody else moves), and hysteresis keeps a cough from swapping
// tiles: a voice must last `enterAfterMs` to enter, and a member stays at least `minStayMs`.

/** A remote participant as the stage sees it. */
export interface StageCandidate {
  readonly id: string;
  readonly joinedAt: number;
  /** Speaking now: announced by the participant over presence, or heard on its pulled audio. */
  readonly speaking: boolean;
  readonly pinned: boolean;
}

export interface StageTimings {
  /** How long a voice must last to bring its participant onto the stage. */
  readonly enterAfterMs: number;
  /** The least time a member stays before a speaker may take its place. */
  readonly minStayMs: number;
}

export const DEFAULT_STAGE_TIMINGS: StageTimings = { enterAfterMs: 500, minStayMs: 5_000 };

export class StageRanking {
  /** Stage members by position; `undefined` is a free place. */
  #slots: (string | undefined)[] = [];
  readonly #speakingSince = new Map<string, number>();
  /** When each participant last spoke long enough to count. */
  readonly #lastSpoke = new Map<string, number>();
  readonly #enteredAt = new Map<string, number>();

  constructor(private readonly timings: StageTimings = DEFAULT_STAGE_TIMINGS) {}

  /**
   * The stage for `size` places among `candidates` at time `now`, in stable order. Call it whenever the
   * candidates change and on a timer while someone speaks (entering takes `enterAfterMs`).
   */
  update(candidates: readonly StageCandidate[], size: number, now: number): readonly string[] {
    const byId = new Map(candidates.map((c) => [c.id, c]));
    this.#trackSpeech(candidates, now);
    const slots = this.#slots.map((id) => (id !== undefined && byId.has(id) ? id : undefined));
    const seated = new Set(slots.filter((id): id is string => id !== undefined));
    // Only a place won by speaking or a pin is kept for the minimum stay; one filled by default is not.
    const seat = (place: number, id: string, earned: boolean) => {
      const previous = slots[place];
      if (previous !== undefined) seated.delete(previous);
      slots[place] = id;
      seated.add(id);
      this.#enteredAt.set(id, earned ? now : -Infinity);
    };

    // Shrink to size: give up the least recent speakers, a pinned one last.
    while (slots.length > size) {
      const free = slots.lastIndexOf(undefined);
      const place = free >= 0 ? free : this.#weakest(slots, byId, now, { ignoreStay: true })!;
      const [gone] = slots.splice(place, 1);
      if (gone !== undefined) seated.delete(gone);
    }
    // Pinned participants are on, whatever their speaking; more pins than places: the first pins win.
    for (const c of candidates) {
      if (!c.pinned || seated.has(c.id)) continue;
      const place = this.#freePlace(slots, size) ?? this.#weakest(slots, byId, now, { ignoreStay: true });
      if (place === undefined || byId.get(slots[place] ?? '')?.pinned) break;
      seat(place, c.id, true);
    }
    // Free places go to the best of the rest; then a recent speaker replaces the weakest member.
    const waiting = candidates.filter((c) => !seated.has(c.id)).sort((a, b) => this.#rank(a, b));
    for (const c of waiting) {
      const place = this.#freePlace(slots, size);
      if (place === undefined) break;
      seat(place, c.id, this.#lastSpoke.has(c.id));
    }
    for (const c of waiting) {
      if (seated.has(c.id) || !this.#justSpoke(c.id, now)) continue;
      const place = this.#weakest(slots, byId, now, { ignoreStay: false });
      if (place === undefined) break;
      seat(place, c.id, true);
    }
    while (slots.length && slots.at(-1) === undefined) slots.pop();
    this.#slots = slots;
    for (const id of [...this.#enteredAt.keys()]) if (!seated.has(id)) this.#enteredAt.delete(id);
    return slots.filter((id): id is string => id !== undefined);
  }

  /** The `count` most recent speakers among `ids` (those who never spoke last, earliest joined first). */
  recentSpeakers(candidates: readonly StageCandidate[], count: number): string[] {
    return [...candidates]
      .sort((a, b) => this.#rank(a, b))
      .slice(0, count)
      .map((c) => c.id);
  }

  /** Whether anyone's voice is still on its way onto the stage, so `update` should run again soon. */
  get pending(): boolean {
    return this.#speakingSince.size > 0;
  }

  #trackSpeech(candidates: readonly StageCandidate[], now: number): void {
    const present = new Set(candidates.map((c) => c.id));
    for (const c of candidates) {
      if (!c.speaking) {
        this.#speakingSince.delete(c.id);
        continue;
      }
      const since = this.#speakingSince.get(c.id) ?? now;
      this.#speakingSince.set(c.id, since);
      if (now - since >= this.timings.enterAfterMs) this.#lastSpoke.set(c.id, now);
    }
    for (const map of [this.#speakingSince, this.#lastSpoke]) {
      for (const id of map.keys()) if (!present.has(id)) map.delete(id);
    }
  }

  /** Spoke long enough, just now. */
  #justSpoke(id: string, now: number): boolean {
    return this.#lastSpoke.get(id) === now;
  }

  /** Most recent speaker first; those who never spoke by join time. */
  #rank(a: StageCandidate, b: StageCandidate): number {
    const spokeA = this.#lastSpoke.get(a.id) ?? -Infinity;
    const spokeB = this.#lastSpoke.get(b.id) ?? -Infinity;
    return spokeB - spokeA || a.joinedAt - b.joinedAt;
  }

  #freePlace(slots: (string | undefined)[], size: number): number | undefined {
    const hole = slots.indexOf(undefined);
    if (hole >= 0) return hole;
    return slots.length < size ? slots.length : undefined;
  }

  /** The place of the member to give up first: not pinned, not speaking, least recent, stayed long enough. */
  #weakest(
    slots: readonly (string | undefined)[],
    byId: ReadonlyMap<string, StageCandidate>,
    now: number,
    { ignoreStay }: { ignoreStay: boolean },
  ): number | undefined {
    let best: number | undefined;
    for (const [place, id] of slots.entries()) {
      const member = id === undefined ? undefined : byId.get(id);
      if (!member || member.pinned || member.speaking) continue;
      if (!ignoreStay && now - (this.#enteredAt.get(member.id) ?? -Infinity) < this.timings.minStayMs)
        continue;
      if (best === undefined || this.#rank(byId.get(slots[best]!)!, member) < 0) best = place;
    }
    if (best === undefined && ignoreStay) {
      // Everyone is pinned or speaking: the last place goes.
      for (let place = slots.length - 1; place >= 0; place--) {
        if (!byId.get(slots[place] ?? '')?.pinned) return place;
      }
    }
    return best;
  }
}
