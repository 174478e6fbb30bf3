import { css } from 'lit';

export const styles = css`
  :host {
    --_tile-background: var(--call-video-tile-background, #3c4043);
    --_tile-radius: var(--call-video-tile-radius, var(--call-radius-l, 12px));
    --_tile-ratio: var(--call-video-tile-aspect-ratio, 16 / 9);
    --_tile-ring: var(--call-video-tile-speaking-color, var(--call-color-speaking, #2f80ed));
    --_label-background: var(--call-video-tile-label-background, rgb(0 0 0 / 0.6));
    --_label-color: var(--call-video-tile-label-color, #ffffff);
    --_muted-background: var(--call-video-tile-muted-background, #c5221f);
    /* The tile is dark in both colour schemes, so these stay light. */
    --_good: #81c995;
    --_fair: #fdd663;
    --_poor: #f28b82;
    display: block;
    position: relative;
    aspect-ratio: var(--_tile-ratio);
    min-width: 8rem;
    contain: layout paint;
  }
  [part='base'] {
    position: absolute;
    inset: 0;
    overflow: hidden;
    border-radius: var(--_tile-radius);
    background: var(--_tile-background);
    color: var(--_label-color);
    container-type: inline-size;
  }
  /*
   * Hidden unless the page behind the tile is one flat colour (call-room's is): then the base clips square and
   * this paints the corners in --call-video-tile-corner-color (else its own color) instead, because a rounded
   * clip around a video makes the compositor redraw a masked pass for every frame of every tile.
   */
  [part='corners'] {
    display: none;
    position: absolute;
    inset: 0;
    pointer-events: none;
    border-radius: var(--_tile-radius);
    box-shadow: 0 0 0 var(--_tile-radius) var(--call-video-tile-corner-color, currentColor);
  }
  /* The speaking outline sits above the video. */
  [part='base']::after {
    content: '';
    position: absolute;
    inset: 0;
    border-radius: var(--_tile-radius);
    pointer-events: none;
    box-shadow: inset 0 0 0 3px var(--_tile-ring);
    opacity: 0;
  }
  :host(:state(speaking)) [part='base']::after {
    opacity: 1;
  }
  [part='video'] {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
    background: var(--_tile-background);
    opacity: 0;
  }
  [part='video'].shown {
    opacity: 1;
  }
  [part='video'].contain {
    object-fit: contain;
  }
  :host([mirrored]:not([source='screen'])) [part='video'] {
    transform: scaleX(-1);
  }
  [part='initials'] {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
  }
  [part='initials'][hidden] {
    display: none;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: clamp(2.5rem, 26cqi, 7rem);
    aspect-ratio: 1;
    border-radius: 50%;
    background: hsl(var(--_hue, 210) 35% 32%);
    color: #ffffff;
    font-size: clamp(1rem, 10cqi, 2.75rem);
    font-weight: 600;
    letter-spacing: 0.02em;
    user-select: none;
  }
  [part='lost'] {
    position: absolute;
    inset-block-end: calc(var(--_space-s) * 2 + 1.75rem);
    inset-inline: 0;
    margin-inline: auto;
    width: max-content;
    max-width: calc(100% - var(--_space-s) * 2);
  }
  [part='overlay'] {
    position: absolute;
    inset: 0;
    overflow: hidden;
    pointer-events: none;
  }
  .badge.hand {
    position: absolute;
    inset-block-start: var(--_space-s);
    inset-inline-start: var(--_space-s);
    min-width: 2.25rem;
    height: 2.25rem;
    color: #1f1f1f;
    background: var(--call-video-tile-hand-background, var(--call-color-warning, #f9ab00));
  }
  @media (prefers-reduced-motion: no-preference) {
    .badge.hand {
      animation: wave 0.8s ease-in-out 2;
      transform-origin: 50% 90%;
    }
    @keyframes wave {
      25% {
        rotate: -12deg;
      }
      75% {
        rotate: 12deg;
      }
    }
  }
  [part='status'] {
    position: absolute;
    inset-block-start: var(--_space-s);
    inset-inline-end: var(--_space-s);
    display: flex;
    gap: var(--_space-xs);
    align-items: center;
  }
  .badge {
    display: inline-grid;
    place-items: center;
    min-width: 1.75rem;
    height: 1.75rem;
    padding: 0 var(--_space-xs);
    border-radius: 999px;
    background: var(--_label-background);
    color: var(--_label-color);
  }
  .icon {
    width: 1rem;
    height: 1rem;
  }
  [part='muted-icon'] {
    background: var(--_muted-background);
    color: #ffffff;
  }
  [part='speaking-icon'] {
    color: var(--_label-color);
  }
  [part='quality'].good {
    color: var(--_good);
  }
  [part='quality'].fair {
    color: var(--_fair);
  }
  [part='quality'].poor {
    color: var(--_poor);
  }
  [part='name'] {
    position: absolute;
    inset-block-end: var(--_space-s);
    inset-inline-start: var(--_space-s);
    max-width: calc(100% - 2 * var(--_space-s));
    padding: 2px var(--_space-s);
    overflow: hidden;
    border-radius: var(--_radius-s);
    background: var(--_label-background);
    color: var(--_label-color);
    font-size: var(--_font-size-s);
    font-weight: 500;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  [part='name'][hidden] {
    display: none;
  }
  @media (prefers-reduced-motion: no-preference) {
    [part='base']::after {
      box-shadow: inset 0 0 0 calc(2px + var(--_level, 0) * 3px) var(--_tile-ring);
      transition:
        opacity var(--_duration-fast) ease-out,
        box-shadow var(--_duration-fast) ease-out;
    }
    [part='video'] {
      transition: opacity var(--_duration-fast) ease-out;
    }
  }
  @media (forced-colors: active) {
    :host(:state(speaking)) [part='base']::after {
      box-shadow: none;
      outline: 3px solid Highlight;
      outline-offset: -3px;
    }
    .badge,
    [part='name'] {
      border: 1px solid CanvasText;
    }
  }
`;
