import { css } from 'lit';

export const styles = css`
  :host {
    --_panel-background: var(--call-breakout-panel-background, var(--_surface));
    --_panel-color: var(--call-breakout-panel-color, var(--_on-surface));
    --_panel-padding: var(--call-breakout-panel-padding, var(--_space-m));
    display: block;
    color: var(--_panel-color);
    background: var(--_panel-background);
  }
  :host(:not(:state(host))) {
    display: none;
  }
  [part='base'] {
    display: grid;
    gap: var(--_space-s);
    padding: var(--_panel-padding);
  }
  [part='heading'] {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }
  [part='phase'] {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875rem;
  }
  ul {
    display: grid;
    gap: var(--_space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  li {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-width: 0;
  }
  .name {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .count {
    min-width: 2ch;
    color: var(--_muted);
    text-align: end;
  }
  .create,
  .field {
    display: grid;
    gap: var(--_space-s);
  }
  .check {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    font-size: 0.875rem;
  }
  input:not([type='checkbox']),
  select {
    min-width: 0;
    min-height: 36px;
    padding: 0 var(--_space-s);
    font: inherit;
    color: var(--_panel-color);
    background: var(--_panel-background);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
  }
  [part='room-name'] {
    flex: 1;
  }
  [part='assign'] {
    flex: 0 1 45%;
  }
  input[type='checkbox'] {
    inline-size: 18px;
    block-size: 18px;
    accent-color: var(--_accent);
  }
  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
  }
  [part~='button'] {
    min-height: 36px;
    padding: 0 var(--_space-m);
    font: inherit;
    color: var(--_panel-color);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
    cursor: pointer;
  }
  [part~='button'].primary {
    color: var(--_on-accent);
    background: var(--_accent);
    border-color: var(--_accent);
  }
  [part~='button'].danger {
    color: var(--_on-accent);
    background: var(--_danger);
    border-color: var(--_danger);
  }
  [part~='button']:disabled {
    opacity: 0.6;
    cursor: default;
  }
  :is(input, select, [part~='button']):focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  [part='message'] {
    display: flex;
    gap: var(--_space-s);
  }
  [part='message'] input {
    flex: 1;
  }
  [part='help'] li {
    flex-wrap: wrap;
    padding: var(--_space-s);
    color: var(--_panel-color);
    background: var(--_surface-raised);
    border-inline-start: 3px solid var(--_warning);
    border-radius: var(--_radius-s);
  }
`;
