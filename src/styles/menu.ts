import { css } from 'lit';

/** `.menu`: a popover list of buttons (a tile's menu, the controls' More menu), placed by its opener. */
export const menuStyles = css`
  .menu {
    position: fixed;
    inset: auto;
    margin: 0;
    padding: var(--_space-xs) 0;
    min-width: 12rem;
    color: var(--_on-surface);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.25);
  }
  .menu button {
    display: block;
    width: 100%;
    min-width: 0;
    padding: var(--_space-s) var(--_space-m);
    color: inherit;
    font: inherit;
    text-align: start;
    background: none;
    border: none;
    border-radius: 0;
    cursor: pointer;
  }
  .menu button[hidden] {
    display: none;
  }
  .menu button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: -2px;
  }
  @media (hover: hover) {
    .menu button:hover {
      background: var(--_surface);
    }
  }
`;
