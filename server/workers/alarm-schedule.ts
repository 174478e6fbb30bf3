// The presence core's Schedule without timers: callbacks wait in memory, and the room object's single alarm is
// set for the earliest of them. A pending setTimeout would keep the object awake; an alarm lets it hibernate and
// wakes it when due. If the object hibernates first, its callbacks are gone with its memory: whatever needed
// them (a join timeout) is rebuilt from storage when it wakes.
import type { Schedule } from '../core/schedule.js';

interface Pending {
  readonly at: number;
  readonly callback: () => void;
}

export class AlarmSchedule {
  readonly #pending = new Map<number, Pending>();
  readonly #now: () => number;
  readonly #changed: () => void;
  #lastId = 0;

  /** `now` is real time (alarms fire by it); `changed` re-arms the alarm when a callback comes or goes. */
  constructor(now: () => number, changed: () => void) {
    this.#now = now;
    this.#changed = changed;
  }

  readonly schedule: Schedule = (ms, callback) => {
    const id = ++this.#lastId;
    this.#pending.set(id, { at: this.#now() + ms, callback });
    this.#changed();
    return () => {
      if (this.#pending.delete(id)) this.#changed();
    };
  };

  /** Runs every callback that is due. */
  runDue(): void {
    const now = this.#now();
    for (const [id, pending] of [...this.#pending]) {
      if (pending.at > now) continue;
      this.#pending.delete(id);
      pending.callback();
    }
  }

  /** When the earliest callback is due; undefined when none waits. */
  get nextAt(): number | undefined {
    let next: number | undefined;
    for (const { at } of this.#pending.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  get size(): number {
    return this.#pending.size;
  }
}
