import { css, html } from 'lit';
import { cssVars } from './css-vars.js';

/** A microphone level bar (0..1), labelled by the element with id `labelledBy`. */
export const micMeter = (level: number, labelledBy: string) => {
  const clamped = Math.min(1, Math.max(0, level));
  return html`<div
    part="meter"
    class="meter"
    role="meter"
    aria-labelledby=${labelledBy}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${Math.round(clamped * 100)}
    ${cssVars({ '--_level': String(clamped) })}
  ></div>`;
};

export const micMeterStyles = css`
  /* A label and the meter on one line. */
  .meter-row {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: var(--_space-s);
    align-items: center;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .meter {
    height: 6px;
    border-radius: 3px;
    background: linear-gradient(to right, var(--_success) calc(var(--_level, 0) * 100%), var(--_border) 0);
  }
  @media (forced-colors: active) {
    .meter {
      border: 1px solid CanvasText;
    }
  }
`;
