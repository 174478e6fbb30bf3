import { css } from 'lit';

export const styles = css`
  :host {
    --_list-background: var(--call-participant-list-background, var(--_surface));
    --_list-color: var(--call-participant-list-color, var(--_on-surface));
    --_list-padding: var(--call-participant-list-padding, var(--_space-m));
    --_list-gap: var(--call-participant-list-gap, var(--_space-xs));
    --_avatar-size: var(--call-participant-list-avatar-size, 32px);
    --_icon-color: var(--call-participant-list-icon-color, var(--_muted));
    --_speaking-color: var(
      --call-participant-list-speaking-color,
      var(--call-color-speaking, var(--_accent))
    );
    --_hand-color: var(--call-participant-list-hand-color, var(--_warning));
    --_presenting-background: var(--call-participant-list-presenting-background, var(--_accent));
    display: block;
    color: var(--_list-color);
    background: var(--_list-background);
  }
  [part='base'] {
    display: grid;
    gap: var(--_space-s);
    padding: var(--_list-padding);
  }
  [part='heading'] {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }
  [part='filter'] {
    width: 100%;
    min-height: 36px;
    padding: 0 var(--_space-m);
    font: inherit;
    color: var(--_list-color);
    background: var(--_list-background);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
  }
  [part='filter']::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  [part='filter']:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  [part='list'] {
    display: grid;
    gap: var(--_list-gap);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part='list'][hidden] {
    display: none;
  }
  [part='item'] {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-height: calc(var(--_avatar-size) + 8px);
    min-width: 0;
  }
  .avatar {
    display: grid;
    flex: none;
    place-items: center;
    width: var(--_avatar-size);
    aspect-ratio: 1;
    border-radius: 50%;
    background: hsl(var(--_hue, 210) 35% 32%);
    color: #ffffff;
    font-size: calc(var(--_avatar-size) * 0.4);
    font-weight: 600;
    letter-spacing: 0.02em;
    user-select: none;
  }
  .talking .avatar {
    box-shadow:
      0 0 0 2px var(--_list-background),
      0 0 0 4px var(--_speaking-color);
  }
  .name {
    flex: 1 1 auto;
    min-width: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .status {
    display: flex;
    flex: none;
    align-items: center;
    gap: var(--_space-xs);
  }
  .badge {
    display: inline-grid;
    place-items: center;
    width: 24px;
    height: 24px;
    color: var(--_icon-color);
  }
  .icon {
    width: 18px;
    height: 18px;
  }
  [part='speaking-icon'] {
    color: var(--_speaking-color);
  }
  [part='hand-icon'] {
    color: var(--_hand-color);
  }
  .chip {
    padding: 1px var(--_space-s);
    border-radius: 999px;
    background: var(--_presenting-background);
    color: var(--_on-accent);
    font-size: var(--_font-size-s);
    font-weight: 500;
    white-space: nowrap;
  }
  [part='empty'] {
    margin: 0;
    color: var(--_muted);
  }
  @media (prefers-reduced-motion: no-preference) {
    .avatar {
      transition: box-shadow var(--_duration-fast) ease-out;
    }
  }
  @media (forced-colors: active) {
    .talking .avatar {
      outline: 2px solid Highlight;
      outline-offset: 2px;
    }
    .chip {
      border: 1px solid CanvasText;
    }
  }
  .host-menu-button {
    display: inline-grid;
    place-items: center;
    width: 32px;
    height: 32px;
    margin-inline-start: var(--_space-xs);
    padding: 0;
    color: inherit;
    background: none;
    border: none;
    border-radius: 999px;
    cursor: pointer;
  }
  .host-menu-button:focus-visible {
    outline: var(--_focus-ring);
  }
  @media (hover: hover) {
    .host-menu-button:hover {
      background: var(--_surface-raised);
    }
  }
  [part='remove-dialog'] {
    max-width: min(24rem, calc(100vw - 32px));
    padding: var(--call-space-l, 16px);
    color: var(--_on-surface);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
  }
  [part='remove-dialog'] h2 {
    margin: 0 0 var(--_space-s);
    font-size: 1.1rem;
  }
  [part='remove-dialog'] p {
    margin: 0 0 var(--call-space-l, 16px);
    color: var(--_muted);
  }
  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--_space-s);
  }
  .dialog-actions button {
    min-height: 40px;
    padding: 0 var(--call-space-l, 16px);
    font: inherit;
    border-radius: 999px;
    cursor: pointer;
  }
  .dialog-actions .secondary {
    color: var(--_on-surface);
    background: transparent;
    border: 1px solid var(--_border);
  }
  .dialog-actions .danger {
    color: var(--_on-accent);
    background: var(--_danger);
    border: 1px solid transparent;
  }
  .dialog-actions button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
`;
