// Which simulcast layer a subscriber should receive. Pure, so the policy is unit-tested on its own.
import { LAYER_STALE_MS } from './limits.js';

export interface LayerView {
  /** The RID, or '' for a track without simulcast. */
  rid: string;
  lastPacketAt: number;
  /** Frame area from the last keyframe header, when the codec exposes it (VP8). */
  area?: number;
  /** Bytes per second over the last measurement window. */
  bitrate: number;
}

/** How good a layer is: resolution when known, else bitrate. */
function rank(layer: LayerView): number {
  return layer.area !== undefined ? layer.area * 1_000_000 + layer.bitrate : layer.bitrate;
}

/** A higher layer is taken only when the budget covers its bitrate with this much to spare. */
const UPGRADE_HEADROOM = 1.15;

/**
 * Picks the layer to forward.
 * - An explicit `preferredRid` wins while that layer flows.
 * - `''` or undefined means automatic: the best layer that is flowing now, or, with a `budgetBps` (this
 *   subscriber's share of its estimated downlink, bandwidth.ts), the best one that fits in it (the lowest
 *   flowing one when none does).
 * - If the preferred layer is missing (Cloudflare's `ridNotAvailable: none`), keep the current one; never go
 *   black: with nothing current, fall back to the best flowing layer.
 */
export function chooseLayer(
  layers: readonly LayerView[],
  preferredRid: string | undefined,
  current: string | undefined,
  now: number,
  budgetBps?: number,
): string | undefined {
  const flowing = layers.filter((l) => now - l.lastPacketAt <= LAYER_STALE_MS);
  if (flowing.length === 0) return current;
  const currentLayer = flowing.find((l) => l.rid === current);
  if (preferredRid) {
    if (flowing.some((l) => l.rid === preferredRid)) return preferredRid;
    if (currentLayer) return current;
  }
  if (!preferredRid && budgetBps !== undefined) return affordable(flowing, currentLayer, budgetBps).rid;
  const best = flowing.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  // Hysteresis in automatic mode: bitrates wobble, so only leave a flowing layer for a clearly better one.
  if (!preferredRid && currentLayer && currentLayer.area === undefined && best.area === undefined) {
    return rank(best) > rank(currentLayer) * 1.5 ? best.rid : currentLayer.rid;
  }
  return best.rid;
}

/** The best flowing layer within the budget; leaving the current one upwards needs headroom. */
function affordable(flowing: LayerView[], current: LayerView | undefined, budgetBps: number): LayerView {
  const byRank = [...flowing].sort((a, b) => rank(a) - rank(b));
  let choice = byRank[0];
  for (const layer of byRank) {
    const above = !current || rank(layer) > rank(current);
    const needs = layer.bitrate * 8 * (above ? UPGRADE_HEADROOM : 1);
    if (needs <= budgetBps) choice = layer;
  }
  return choice;
}
