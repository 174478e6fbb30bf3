import { svg } from 'lit';
import type { QualityLevel } from '../../core/quality.js';

const FILLED: Record<QualityLevel, number> = { good: 3, fair: 2, poor: 1, unknown: 0 };

/**
 * Three signal bars, filled by level (good 3, fair 2, poor 1, unknown none), so the level reads by shape as well
 * as by colour. Decorative: the caller labels it. Colour is `currentColor`; empty bars are faint.
 * @internal
 */
export function qualityBars(level: QualityLevel) {
  const filled = FILLED[level];
  return svg`<svg class="bars" viewBox="0 0 14 12" width="14" height="12" aria-hidden="true" focusable="false">
    ${[4, 7, 10].map(
      (h, i) =>
        svg`<rect x=${i * 5} y=${12 - h} width="4" height=${h} rx="1" fill="currentColor"
          opacity=${i < filled ? 1 : 0.3}></rect>`,
    )}
  </svg>`;
}
