// Which simulcast layer one pulled video asks for, from what its tiles show: the size they need, whether any
// is visible, the width actually decoded, and whether its quality is poor. It steps one layer at a time and
// watches the decoded width answer, so it needs neither the publisher's resolution nor which layers it sends:
// a layer the SFU does not switch to (not sent, e.g. too small a picture for Chrome to send it) is marked
// unavailable for a while and the step undone.
import type { SimulcastLayer } from './simulcast.js';

/** What the tiles showing one pulled video report, merged. */
export interface VideoView {
  /** Whether any tile showing it is on screen in a visible page. */
  readonly visible: boolean;
  /** The width in video pixels the largest visible tile needs (its size × devicePixelRatio, as covered). */
  readonly neededWidth: number;
  /** The width of the frames decoded now (0 before the first one). */
  readonly decodedWidth: number;
  /** Whether the tile measures poor quality (loss). */
  readonly poor: boolean;
}

/** A step that the decoded width has not followed by then is undone; that layer counts as unavailable. */
export const STEP_SETTLE_MS = 2_500;
/** How long a layer that did not come stays unavailable. */
export const UNAVAILABLE_MS = 10_000;
/** Poor quality steps down at most this often. */
export const POOR_STEP_MS = 3_000;
/** After this long without poor quality, one layer more is allowed again. */
export const GOOD_RECOVERY_MS = 10_000;
/**
 * A size-driven step waits until the tile has wanted it this long: relayouts (a share starting, people joining)
 * resize tiles back and forth within a moment, and each step is a request to the SFU and a keyframe.
 */
export const STEP_HOLD_MS = 600;
/** A layer must cover this share of the needed width: a slightly upscaled picture is fine. */
const COVER = 0.85;

interface Pending {
  readonly from: number;
  readonly to: number;
  readonly width: number;
  readonly at: number;
}

export class LayerSteering {
  /** Index into the layers (0 = highest) asked for now. */
  #index: number;
  /** While parked (hidden, or data saver) on the lowest layer: the index to go back to. */
  #parkedFrom?: number;
  #pending?: Pending;
  /** The size-driven step wanted now, and since when (see STEP_HOLD_MS). */
  #wanted?: { index: number; since: number };
  readonly #unavailable = new Map<number, number>();
  /** Quality allows no layer above this one. */
  #qualityFloor = 0;
  #lastPoorStep = -Infinity;
  #goodSince = 0;

  constructor(
    private readonly layers: readonly SimulcastLayer[],
    start = 0,
  ) {
    this.#index = Math.min(Math.max(0, start), layers.length - 1);
  }

  /** The RID asked for now. */
  get rid(): string {
    return this.layers[this.#index]?.rid ?? '';
  }

  /**
   * Takes the latest view (or the same one again, as time passes) and answers the RID to ask for. Hidden, or
   * with `dataSaver`, that is the lowest layer.
   */
  update(view: VideoView, now: number, dataSaver = false): string {
    const lowest = this.layers.length - 1;
    if (lowest <= 0) return this.rid;
    this.#settle(view, now);
    this.#followQuality(view, now);
    if (!view.visible || dataSaver) {
      this.#parkedFrom ??= this.#index;
      this.#pending = undefined;
      this.#index = lowest;
      return this.rid;
    }
    if (this.#parkedFrom !== undefined) {
      // Shown again: straight back to where it was, nothing to step through.
      this.#index = Math.max(this.#parkedFrom, this.#qualityFloor);
      this.#parkedFrom = undefined;
      return this.rid;
    }
    if (this.#pending && !this.#stillWanted(this.#pending, view)) {
      this.#index = this.#pending.from; // the tile changed its mind: no verdict on that layer
      this.#pending = undefined;
    }
    if (this.#pending || !view.decodedWidth) return this.rid;
    const target = this.#wantedStep(view, now);
    if (!this.#heldLongEnough(target, now)) return this.rid;
    if (target !== this.#index) {
      this.#pending = { from: this.#index, to: target, width: view.decodedWidth, at: now };
      this.#index = target;
    }
    return this.rid;
  }

  /** Whether a step to `target` may go now: at once for quality, after STEP_HOLD_MS for size. */
  #heldLongEnough(target: number, now: number): boolean {
    if (target === this.#index || this.#index < this.#qualityFloor) {
      this.#wanted = undefined;
      return true;
    }
    if (this.#wanted?.index !== target) this.#wanted = { index: target, since: now };
    if (now - this.#wanted.since < STEP_HOLD_MS) return false;
    this.#wanted = undefined;
    return true;
  }

  /** One step up or down from the current layer, or none. */
  #wantedStep(view: VideoView, now: number): number {
    const i = this.#index;
    const { decodedWidth, neededWidth } = view;
    if (i < this.#qualityFloor) return this.#nearest(this.#qualityFloor, 1, now) ?? i;
    if (i > this.#qualityFloor && decodedWidth < neededWidth * COVER) {
      const up = this.#nearest(i - 1, -1, now);
      if (up !== undefined && up >= this.#qualityFloor) return up;
    }
    const down = this.#nearest(i + 1, 1, now);
    if (down === undefined) return i;
    const ratio = this.layers[i].scaleResolutionDownBy / this.layers[down].scaleResolutionDownBy;
    return decodedWidth * ratio >= neededWidth * COVER ? down : i;
  }

  /** Whether the step under way still fits the view (a tile may grow again before a step down lands). */
  #stillWanted(p: Pending, view: VideoView): boolean {
    const need = view.neededWidth * COVER;
    if (p.to < p.from) return p.width < need;
    const ratio = this.layers[p.from].scaleResolutionDownBy / this.layers[p.to].scaleResolutionDownBy;
    return p.from < this.#qualityFloor || p.width * ratio >= need;
  }

  /** The first available layer from `from` in direction `step` (-1 up, +1 down). */
  #nearest(from: number, step: 1 | -1, now: number): number | undefined {
    for (let i = from; i >= 0 && i < this.layers.length; i += step) {
      if ((this.#unavailable.get(i) ?? 0) <= now) return i;
    }
    return undefined;
  }

  /** A step is done once the decoded width moved its way; one that does not within the time is undone. */
  #settle(view: VideoView, now: number): void {
    const p = this.#pending;
    if (!p) return;
    const width = view.decodedWidth;
    const moved = p.to > p.from ? width > 0 && width < p.width * 0.8 : width > p.width * 1.2;
    if (moved) this.#pending = undefined;
    else if (now - p.at >= STEP_SETTLE_MS) {
      this.#pending = undefined;
      this.#unavailable.set(p.to, now + UNAVAILABLE_MS);
      this.#index = p.from;
    }
  }

  #followQuality(view: VideoView, now: number): void {
    if (view.poor) {
      this.#goodSince = now;
      if (now - this.#lastPoorStep >= POOR_STEP_MS && this.#index < this.layers.length - 1) {
        this.#lastPoorStep = now;
        this.#qualityFloor = this.#index + 1;
      }
    } else if (this.#qualityFloor > 0 && now - this.#goodSince >= GOOD_RECOVERY_MS) {
      this.#qualityFloor--;
      this.#goodSince = now;
    }
  }
}
