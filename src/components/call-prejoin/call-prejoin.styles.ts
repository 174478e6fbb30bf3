import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    color: var(--_on-surface);
    background: var(--call-prejoin-background, var(--_surface));
    container-type: inline-size;
  }
  [part='base'] {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(260px, 2fr);
    gap: calc(var(--_space-m) * 2);
    align-items: center;
    max-width: var(--call-prejoin-max-width, 1040px);
    margin: 0 auto;
    padding: var(--_space-m);
  }
  @container (max-width: 640px) {
    [part='base'] {
      grid-template-columns: minmax(0, 1fr);
      gap: var(--_space-m);
      padding: var(--_space-s);
    }
  }
  .frame {
    position: relative;
  }
  [part='preview'] {
    width: 100%;
  }
  /* The switches below say muted and who you are is in the panel: no name plate or badges over the preview. */
  [part~='preview']::part(name),
  [part~='preview']::part(status) {
    display: none;
  }
  .switches {
    position: absolute;
    inset-inline: 0;
    inset-block-end: var(--_space-m);
    display: flex;
    justify-content: center;
    gap: var(--_space-m);
  }
  .switches button {
    display: grid;
    place-items: center;
    width: 48px;
    height: 48px;
    padding: 0;
    border-radius: 50%;
    border: 1px solid rgb(255 255 255 / 0.7);
    background: rgb(0 0 0 / 0.35);
    color: #ffffff;
    cursor: pointer;
  }
  .switches button.off {
    background: var(--_danger);
    border-color: transparent;
    color: var(--_on-accent);
  }
  .switches .icon {
    width: 22px;
    height: 22px;
  }
  button:focus-visible,
  input:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  [part='panel'] {
    display: grid;
    gap: var(--_space-m);
    align-content: start;
  }
  [part='heading'] {
    margin: 0;
    font-size: 1.6em;
    font-weight: 500;
    line-height: 1.25;
  }
  [part='room'],
  [part='lobby'] {
    margin: 0;
    color: var(--_muted);
  }
  [part='lobby']:empty {
    display: none;
  }
  .field {
    display: grid;
    gap: var(--_space-xs);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  [part='name-input'] {
    min-height: 36px;
    padding: 0 var(--_space-m);
    font: inherit;
    font-size: 1rem;
    color: var(--_on-surface);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
  }
  :host(:state(muted)) .meter {
    opacity: 0.4;
  }
  [part='devices'] {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: var(--_space-s);
    margin-block-start: var(--_space-m);
  }
  /* On a phone: the preview, then what it takes to join, then the devices. */
  @container (max-width: 640px) {
    .stage {
      display: contents;
    }
    [part='panel'] {
      order: 1;
    }
    [part='devices'] {
      order: 2;
      grid-template-columns: minmax(0, 1fr);
      margin-block-start: 0;
    }
  }
  [part='join'] {
    justify-self: start;
    min-height: 44px;
    padding: 0 calc(var(--_space-m) * 2);
    font: inherit;
    font-weight: 600;
    color: var(--_on-accent);
    background: var(--_accent);
    border: none;
    border-radius: 22px;
    cursor: pointer;
  }
  [part='join']:disabled {
    opacity: 0.5;
    cursor: default;
  }
  @media (hover: hover) {
    [part='join']:hover:not(:disabled) {
      filter: brightness(1.08);
    }
  }
  @container (max-width: 640px) {
    [part='join'] {
      justify-self: stretch;
    }
  }
`;
