import { css } from 'lit';

export const styles = css`
  :host {
    --_picker-background: var(--call-device-picker-background, var(--_surface));
    --_picker-border: var(--call-device-picker-border-color, var(--_border));
    --_picker-radius: var(--call-device-picker-radius, var(--_radius-m));
    display: inline-block;
    min-width: 12rem;
    color: var(--_on-surface);
  }
  [part='base'] {
    display: grid;
    gap: var(--_space-xs);
  }
  [part='label'] {
    font-size: var(--_font-size-s);
    font-weight: 600;
    color: var(--_muted);
  }
  [part='select'] {
    width: 100%;
    min-height: 2.25rem;
    padding: var(--_space-xs) var(--_space-s);
    font: inherit;
    color: inherit;
    background: var(--_picker-background);
    border: 1px solid var(--_picker-border);
    border-radius: var(--_picker-radius);
  }
  [part='select']:focus-visible,
  [part='button']:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  [part='select'][aria-disabled='true'] {
    opacity: 0.6;
  }
  [part='message'] {
    margin: 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  :host(:state(permission-denied)) [part='message'],
  :host(:state(device-in-use)) [part='message'] {
    color: var(--_danger);
  }
  [part='button'] {
    justify-self: start;
    padding: var(--_space-xs) var(--_space-m);
    font: inherit;
    font-weight: 600;
    color: var(--_on-accent);
    background: var(--_accent);
    border: none;
    border-radius: var(--_picker-radius);
    cursor: pointer;
  }
  @media (forced-colors: active) {
    [part='button'] {
      border: 1px solid ButtonText;
    }
  }
`;
