import { css } from 'lit';

export const styles = css`
  :host {
    --_good: var(--call-stats-badge-good-color, var(--_success));
    --_fair: var(--call-stats-badge-fair-color, var(--_warning));
    --_poor: var(--call-stats-badge-poor-color, var(--_danger));
    --_badge-background: var(--call-stats-badge-background, var(--_surface));
    --_badge-radius: var(--call-stats-badge-radius, var(--_radius-m));
    display: inline-block;
    position: relative;
    color: var(--_on-surface);
    vertical-align: middle;
  }
  [part='base'] {
    position: relative;
  }
  [part='trigger'] {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    min-height: 24px;
    min-width: 24px;
    padding: 2px 6px;
    font: inherit;
    font-size: var(--_font-size-s);
    color: inherit;
    background: var(--_badge-background);
    border: 1px solid var(--_border);
    border-radius: 999px;
    cursor: pointer;
    anchor-name: --call-stats-badge-trigger;
  }
  [part='trigger']:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  [part='bars'] {
    display: inline-flex;
    color: var(--_muted);
  }
  .good [part='bars'] {
    color: var(--_good);
  }
  .fair [part='bars'] {
    color: var(--_fair);
  }
  .poor [part='bars'] {
    color: var(--_poor);
  }
  [part='details'] {
    position: absolute;
    z-index: 10;
    inset-block-start: calc(100% + 4px);
    inset-inline-start: 0;
    min-width: 13rem;
    padding: var(--_space-s) var(--_space-m);
    background: var(--_badge-background);
    color: var(--_on-surface);
    border: 1px solid var(--_border);
    border-radius: var(--_badge-radius);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
  }
  [part='details'][hidden] {
    display: none;
  }
  /* In the top layer: below the button, flipped up or to the other side when the viewport has no room. */
  [part='details'][popover] {
    position: fixed;
    position-anchor: --call-stats-badge-trigger;
    inset: auto;
    inset-block-start: anchor(end);
    inset-inline-start: anchor(start);
    position-try-fallbacks:
      flip-block,
      flip-inline,
      flip-block flip-inline;
    margin: 4px 0;
    overflow: visible;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: var(--_font-size-s);
  }
  caption {
    padding-block-end: var(--_space-xs);
    font-weight: 600;
    text-align: start;
  }
  th {
    padding: 2px var(--_space-m) 2px 0;
    font-weight: 400;
    color: var(--_muted);
    text-align: start;
    white-space: nowrap;
  }
  td {
    padding: 2px 0;
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  @media (forced-colors: active) {
    [part='bars'] {
      color: CanvasText;
    }
    [part='details'] {
      border: 1px solid CanvasText;
    }
  }
`;
