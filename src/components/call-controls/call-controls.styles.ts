import { css } from 'lit';

export const styles = css`
  :host {
    --_controls-gap: var(--call-controls-gap, var(--_space-s));
    --_button-size: var(--call-controls-button-size, 44px);
    --_button-background: var(--call-controls-button-background, var(--_surface-raised));
    --_button-color: var(--call-controls-button-color, var(--_on-surface));
    --_off-background: var(--call-controls-off-background, var(--_danger));
    --_active-background: var(--call-controls-active-background, var(--_accent));
    --_leave-background: var(--call-controls-leave-background, var(--_danger));
    display: block;
    color: var(--_on-surface);
  }
  [part='base'] {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: center;
    gap: var(--_controls-gap);
  }
  button {
    display: inline-flex;
    flex-direction: column;
    align-items: center;
    gap: var(--_space-xs);
    min-width: calc(var(--_button-size) + 8px);
    padding: 2px;
    margin: 0;
    font: inherit;
    color: inherit;
    background: none;
    border: none;
    border-radius: var(--_radius-m);
    cursor: pointer;
  }
  button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  .circle {
    display: grid;
    place-items: center;
    width: var(--_button-size);
    height: var(--_button-size);
    border-radius: 50%;
    background: var(--_button-background);
    color: var(--_button-color);
    border: 1px solid var(--_border);
  }
  /* Hover only where there is a pointer that hovers: no state stuck on after a tap. */
  @media (hover: hover) {
    button:hover:not([aria-disabled='true']) .circle {
      filter: brightness(0.94);
    }
  }
  .icon {
    width: 22px;
    height: 22px;
  }
  .label {
    font-size: var(--_font-size-s);
    line-height: 1.2;
    white-space: nowrap;
    color: var(--_muted);
  }
  /* Microphone or camera off: the icon is struck through, and the button turns red. */
  [part='mic'].off .circle,
  [part='camera'].off .circle {
    background: var(--_off-background);
    color: var(--_on-accent);
    border-color: transparent;
  }
  [part='screen'].on .circle,
  [part='hand'][aria-pressed='true'] .circle,
  [part='reactions'][aria-expanded='true'] .circle,
  [part='settings'][aria-expanded='true'] .circle,
  [part='participants'][aria-expanded='true'] .circle {
    background: var(--_active-background);
    color: var(--_on-accent);
    border-color: transparent;
  }
  [part='leave'] .circle {
    width: calc(var(--_button-size) * 1.5);
    border-radius: calc(var(--_button-size) / 2);
    background: var(--_leave-background);
    color: var(--_on-accent);
    border-color: transparent;
  }
  [part='leave'] .icon {
    width: 30px;
    height: 30px;
    fill: currentColor;
    stroke-width: 1;
  }
  button[aria-disabled='true'] {
    cursor: not-allowed;
  }
  button[aria-disabled='true'] .circle {
    opacity: 0.45;
  }
  .anchor {
    position: relative;
    display: inline-flex;
  }
  [part='hint'] {
    position: absolute;
    inset-block-end: calc(100% + 8px);
    inset-inline-start: 50%;
    translate: -50% 0;
    width: max-content;
    max-width: 16rem;
    padding: var(--_space-xs) var(--_space-s);
    border-radius: var(--_radius-m);
    background: var(--_on-surface);
    color: var(--_surface);
    font-size: var(--_font-size-s);
    text-align: center;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
    pointer-events: none;
  }
  :host(:dir(rtl)) [part='hint'] {
    translate: 50% 0;
  }
  [part='hint']:empty {
    display: none;
  }
  [part='hint']::after {
    content: '';
    position: absolute;
    inset-block-start: 100%;
    inset-inline-start: calc(50% - 6px);
    border: 6px solid transparent;
    border-block-start-color: var(--_on-surface);
  }
  .narrow-only {
    display: none;
  }
  /* Reactions: one row of large emoji, in the popover and in the phone's menu. */
  .reactions-menu {
    min-width: 0;
    padding: var(--_space-xs);
    display: none;
  }
  .reactions-menu:popover-open {
    display: flex;
    gap: var(--_space-xs);
  }
  .reactions-menu button,
  .menu-reactions button {
    display: inline-grid;
    place-items: center;
    width: 44px;
    height: 44px;
    padding: 0;
    font-size: 24px;
    line-height: 1;
    text-align: center;
    border-radius: var(--_radius-m);
  }
  .menu .menu-reactions {
    flex-wrap: wrap;
    gap: var(--_space-xs);
    padding: var(--_space-xs) var(--_space-s);
  }
  @media (prefers-reduced-motion: no-preference) {
    .reactions-menu button {
      transition: transform var(--call-duration-fast, 150ms) ease-out;
    }
    .reactions-menu button:hover {
      transform: scale(1.15);
    }
  }
  /* A phone: one row of microphone, camera, the menu and leave; the rest moves into the menu. (A container
     query here made Chromium loop when a modal dialog opened in the room: the viewport decides.) */
  @media (max-width: 479px) {
    .wide-only {
      display: none;
    }
    .menu .narrow-only {
      display: block;
    }
    .menu .menu-reactions.narrow-only {
      display: flex;
    }
  }
  [part='reason'] {
    flex-basis: 100%;
    margin: 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
    text-align: center;
  }
  [part='reason'][hidden] {
    display: none;
  }
  @media (prefers-reduced-motion: no-preference) {
    .circle {
      transition:
        background-color var(--_duration-fast) ease-out,
        filter var(--_duration-fast) ease-out;
    }
  }
  @media (forced-colors: active) {
    .circle {
      border: 1px solid ButtonText;
    }
    [part='hint'] {
      border: 1px solid CanvasText;
    }
    button[aria-pressed='true'] .circle,
    [part='settings'][aria-expanded='true'] .circle,
    [part='participants'][aria-expanded='true'] .circle {
      background: Highlight;
      color: HighlightText;
    }
  }
  [part='chat'] {
    position: relative;
  }
  [part='chat-unread'] {
    position: absolute;
    inset-block-start: 0;
    inset-inline-end: 0;
    min-inline-size: 1.25rem;
    padding-inline: 4px;
    border-radius: 999px;
    background: var(--call-controls-unread-background, var(--call-color-danger, #c5221f));
    color: var(--call-controls-unread-color, #ffffff);
    font-size: 0.75rem;
    line-height: 1.25rem;
    text-align: center;
  }
`;
