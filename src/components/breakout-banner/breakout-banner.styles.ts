import { css } from 'lit';

export const styles = css`
  :host {
    --_banner-background: var(--call-breakout-banner-background, var(--_surface-raised));
    --_banner-color: var(--call-breakout-banner-color, var(--_on-surface));
    --_banner-accent: var(--call-breakout-banner-accent, var(--_accent));
    display: block;
  }
  [part='base'] {
    display: grid;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m);
    color: var(--_banner-color);
    background: var(--_banner-background);
    border-inline-start: 4px solid var(--_banner-accent);
    border-radius: var(--_radius-m);
  }
  p {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    margin: 0;
  }
  p > span:first-child {
    flex: 1 1 12rem;
    min-width: 0;
  }
  [part='message'] > span:first-child {
    font-style: italic;
  }
  .sent {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  [part~='button'] {
    min-height: 36px;
    padding: 0 var(--_space-m);
    font: inherit;
    color: var(--_banner-color);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
    cursor: pointer;
  }
  [part~='button'].primary {
    color: var(--_on-accent);
    background: var(--_banner-accent);
    border-color: var(--_banner-accent);
  }
  [part~='button']:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
`;
