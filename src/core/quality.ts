import type { TrackStats } from './types.js';

/** How healthy a connection is. `unknown` until there is something to measure. */
export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

/** Warning (fair) and critical (poor) limits for each metric. */
export interface QualityThresholds {
  /** Packet loss in percent. */
  readonly loss: { readonly fair: number; readonly poor: number };
  readonly jitterMs: { readonly fair: number; readonly poor: number };
  readonly roundTripTimeMs: { readonly fair: number; readonly poor: number };
}

/**
 * Defaults after Orange's loss ladder (1/3/5 %): good up to 1 %, fair up to 5 %, poor above; jitter fair above
 * 30 ms, poor above 100 ms; round trip fair above 300 ms, poor above 600 ms.
 */
export const defaultQualityThresholds: QualityThresholds = {
  loss: { fair: 1, poor: 5 },
  jitterMs: { fair: 30, poor: 100 },
  roundTripTimeMs: { fair: 300, poor: 600 },
};

/** Maps stats to a level: the worst metric decides. */
export function qualityLevel(
  stats: TrackStats | undefined,
  t: QualityThresholds = defaultQualityThresholds,
): QualityLevel {
  if (!stats) return 'unknown';
  const measured: [number | undefined, { fair: number; poor: number }][] = [
    [stats.packetLossPercent, t.loss],
    [stats.jitterMs, t.jitterMs],
    [stats.roundTripTimeMs, t.roundTripTimeMs],
  ];
  if (measured.every(([value]) => value === undefined)) return 'unknown';
  let level: QualityLevel = 'good';
  for (const [value, limit] of measured) {
    if (value === undefined) continue;
    if (value > limit.poor) return 'poor';
    if (value > limit.fair) level = 'fair';
  }
  return level;
}
