import { css } from 'lit';

export const styles = css`
  :host {
    --_player-background: var(--call-player-background, #000000);
    --_player-radius: var(--call-player-radius, var(--call-radius-m, 8px));
    --_player-ratio: var(--call-player-aspect-ratio, 16 / 9);
    --_button-background: var(--call-player-button-background, rgb(0 0 0 / 0.6));
    --_button-color: var(--call-player-button-color, #ffffff);
    display: block;
    position: relative;
    aspect-ratio: var(--_player-ratio);
    min-width: 8rem;
    contain: layout paint;
  }
  [part='base'] {
    position: absolute;
    inset: 0;
    overflow: hidden;
    border-radius: var(--_player-radius);
    background: var(--_player-background);
  }
  [part='video'] {
    width: 100%;
    height: 100%;
    object-fit: contain;
    display: block;
  }
  [part~='status'] {
    position: absolute;
    inset-block-start: var(--call-space-s, 8px);
    inset-inline-start: var(--call-space-s, 8px);
    padding: 2px var(--call-space-s, 8px);
    border-radius: 999px;
    background: var(--_button-background);
    color: var(--_button-color);
    font-size: var(--call-font-size-s, 12px);
  }
  [part~='unmute-button'] {
    position: absolute;
    inset-block-end: var(--call-space-s, 8px);
    inset-inline-end: var(--call-space-s, 8px);
    min-height: 2.5rem;
    padding: 0 var(--call-space-m, 12px);
    border: 0;
    border-radius: 999px;
    background: var(--_button-background);
    color: var(--_button-color);
    font: inherit;
    cursor: pointer;
  }
  [part~='unmute-button']:focus-visible {
    outline: var(--call-focus-ring, 2px solid var(--call-color-accent, #1a73e8));
    outline-offset: 2px;
  }
  @media (forced-colors: active) {
    [part~='unmute-button'],
    [part~='status'] {
      border: 1px solid CanvasText;
    }
  }
`;
