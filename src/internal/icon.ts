import { html, nothing, type SVGTemplateResult } from 'lit';

/**
 * A 24-pixel line icon drawn in the current text colour. Hidden from assistive technology: the button or label
 * around it carries the name.
 */
export const icon = (paths: SVGTemplateResult, overlay: SVGTemplateResult | typeof nothing = nothing) =>
  html`<svg
    class="icon"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    ${paths}${overlay}
  </svg>`;
