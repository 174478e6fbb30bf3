import type { QualityLevel } from '../core/quality.js';
import type { TrackStats } from '../core/types.js';

export type { QualityLevel };

/** What a `<stats-badge>` reports when a track's connection quality moves between levels. */
export interface CallQualityChangeDetail {
  /** The participant whose track was measured, when the badge names one. */
  readonly participant?: string;
  /** The new level: `good`, `fair` or `poor`. */
  readonly level: Exclude<QualityLevel, 'unknown'>;
  /** The level before: `good`, `fair` or `poor` (never `unknown`: the first measurement is not a change). */
  readonly previous: Exclude<QualityLevel, 'unknown'>;
  /** The sample that moved the level. */
  readonly stats: TrackStats;
}

/**
 * Fired when a track's quality level changes, once per change, never per sample, never for the first
 * measurement and never when the page sets a property. Bubbles and is composed.
 */
export class CallQualityChangeEvent extends Event {
  static readonly eventName = 'call-quality-change' as const;
  readonly detail: CallQualityChangeDetail;

  constructor(detail: CallQualityChangeDetail) {
    super(CallQualityChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-quality-change': CallQualityChangeEvent;
  }
}
