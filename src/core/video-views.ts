// How the page shows each pulled video, as its tiles report it: which simulcast layer each pull asks for
// (layer-steering.ts), and which pulls to close because no tile has shown them for a while. Keyed like
// publications (`participantId/source`). A video no tile reports on is left to the SFU (`preferredRid: ""`).
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { LayerSteering, type VideoView } from './layer-steering.js';
import type { SimulcastLayer } from './simulcast.js';

/** A video no tile has shown for this long is no longer pulled (pulled again once shown). */
export const HIDDEN_CLOSE_MS = 5_000;

interface Entry {
  readonly viewers: Map<object, VideoView>;
  readonly steering: LayerSteering;
  readonly rid: BehaviorSubject<string>;
  hiddenSince?: number;
}

export class VideoViews {
  readonly #entries = new Map<string, Entry>();
  readonly #closed = new BehaviorSubject<ReadonlySet<string>>(new Set());
  #dataSaver = false;

  constructor(
    private readonly layers: readonly SimulcastLayer[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Videos whose pull is closed because no tile showed them for a while. */
  readonly closed$: Observable<ReadonlySet<string>> = this.#closed.asObservable();

  /**
   * One tile's view of a video (`viewer` tells tiles apart), or undefined once it no longer shows it. The
   * views of all tiles merge: visible if any is, the largest size any visible one needs.
   */
  report(key: string, viewer: object, view: VideoView | undefined): void {
    let entry = this.#entries.get(key);
    if (!view) {
      entry?.viewers.delete(viewer);
    } else {
      entry ??= this.#entry(key);
      entry.viewers.set(viewer, view);
    }
    if (entry) this.#evaluate(key, entry, this.now());
  }

  /** The RID a pull of `key` asks for: as its tiles need, the lowest with data saver, else automatic (""). */
  preferredRid$(key: string): Observable<string> {
    return this.#entry(key).rid.pipe(distinctUntilChanged());
  }

  /** Data saver: every pull on the lowest layer. */
  setDataSaver(on: boolean): void {
    this.#dataSaver = on;
    this.tick();
  }

  /** Looks at every video again as time passes: steps that did not come, hidden pulls to close. */
  tick(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) this.#evaluate(key, entry, now);
  }

  #entry(key: string): Entry {
    let entry = this.#entries.get(key);
    if (!entry) {
      const steering = new LayerSteering(this.layers, this.#dataSaver ? this.layers.length - 1 : 0);
      entry = { viewers: new Map(), steering, rid: new BehaviorSubject(this.#dataSaver ? steering.rid : '') };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  #evaluate(key: string, entry: Entry, now: number): void {
    const view = merge(entry.viewers.values());
    if (!view) {
      if (!entry.rid.observed) this.#entries.delete(key);
      entry.hiddenSince = undefined;
      entry.rid.next(this.#dataSaver ? this.layers[this.layers.length - 1].rid : '');
    } else {
      entry.hiddenSince = view.visible ? undefined : (entry.hiddenSince ?? now);
      entry.rid.next(entry.steering.update(view, now, this.#dataSaver));
    }
    const closed = entry.hiddenSince !== undefined && now - entry.hiddenSince >= HIDDEN_CLOSE_MS;
    if (closed !== this.#closed.value.has(key)) {
      const next = new Set(this.#closed.value);
      if (closed) next.add(key);
      else next.delete(key);
      this.#closed.next(next);
    }
  }
}

function merge(views: Iterable<VideoView>): VideoView | undefined {
  let merged: VideoView | undefined;
  for (const v of views) {
    merged = merged
      ? {
          visible: merged.visible || v.visible,
          neededWidth: Math.max(merged.neededWidth, v.visible ? v.neededWidth : 0),
          decodedWidth: Math.max(merged.decodedWidth, v.decodedWidth),
          poor: merged.poor || v.poor,
        }
      : { ...v, neededWidth: v.visible ? v.neededWidth : 0 };
  }
  return merged;
}
