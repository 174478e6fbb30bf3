import { css } from 'lit';

export const styles = css`
  :host {
    --_room-background: var(--call-room-background, var(--_surface));
    --_room-gap: var(--call-room-gap, var(--_space-s));
    --_room-min-height: var(--call-room-min-height, 360px);
    display: block !important;
    position: relative !important;
    color: var(--_on-surface) !important;
    background: var(--_room-background) !important;
    border-radius: var(--call-room-radius, var(--_radius-m));
    overflow: hidden;
    contain: layout paint;
    container-type: inline-size;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--_room-gap);
    min-height: var(--_room-min-height);
    height: 100%;
    padding: var(--_room-gap);
  }
  /* Sized by the room, never by its tiles (whose size is computed from the stage's). */
  /* Tiles sit on the room's flat background: they paint their corners in it instead of clipping each video. */
  video-tile::part(base) {
    border-radius: 0;
  }
  video-tile::part(corners) {
    display: block;
    color: var(--_room-background);
  }
  [part='stage'] {
    flex: 1 1 0;
    position: relative;
    display: grid;
    gap: var(--_room-gap);
    min-height: 0;
    overflow: hidden;
  }
  [part='stage'][data-layout='grid'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-content: center;
  }
  [part='stage'][data-layout='grid'] > video-tile,
  [part='stage'][data-layout='grid'] > [part='others'] {
    flex: none;
    width: var(--_tile-width, 0);
    height: var(--_tile-height, 0);
    min-width: 0;
  }
  [part='stage'][data-unmeasured] > * {
    visibility: hidden;
  }
  [part='stage'][data-layout='spotlight'] {
    grid-template-columns: minmax(0, 1fr) minmax(140px, 22%);
    grid-template-rows: minmax(0, 1fr);
  }
  .spotlight {
    display: grid;
    gap: var(--_room-gap);
    min-height: 0;
  }
  .strip {
    display: grid;
    gap: var(--_room-gap);
    grid-auto-rows: minmax(90px, 1fr);
    align-content: start;
    overflow: auto;
    min-height: 0;
  }
  @container (max-width: 600px) {
    [part='stage'][data-layout='spotlight'] {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: minmax(0, 3fr) minmax(0, 1fr);
    }
  }
  /* On the spotlight and in the strip a tile fills its cell; in the grid it gets the size fitGrid chose. */
  .spotlight > video-tile,
  .strip > video-tile,
  .strip > [part='others'] {
    width: 100%;
    height: 100%;
    min-height: 0;
    min-width: 0;
  }
  /* "N watching": a line above the stage, so it covers no one's video. */
  [part='watching'] {
    flex: none;
    align-self: flex-start;
    display: flex;
    align-items: center;
    gap: var(--_space-xs, 4px);
    margin: 0;
    padding: 2px 10px 2px 8px;
    border-radius: 999px;
    background: var(--call-video-tile-background, #3c4043);
    color: #ffffff;
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }
  [part='watching'] .eye {
    display: inline-flex;
    width: 1.1em;
    height: 1.1em;
  }
  [part='controls'] {
    display: flex;
    justify-content: center;
  }
  /* Everyone off the stage, as one tile the size of the others. */
  [part='others'] {
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--_space-s);
    padding: var(--_space-m);
    border: 0;
    border-radius: var(--call-video-tile-radius, var(--_radius-m));
    background: var(--call-video-tile-background, #3c4043);
    color: #ffffff;
    font: inherit;
    cursor: pointer;
    container-type: size;
    overflow: hidden;
  }
  [part='others'] .avatars {
    display: flex;
  }
  [part='others'] .avatar {
    display: grid;
    place-items: center;
    width: clamp(1.75rem, 18cqi, 3.5rem);
    aspect-ratio: 1;
    margin-inline-start: -0.5rem;
    border: 2px solid var(--call-video-tile-background, #3c4043);
    border-radius: 50%;
    background: hsl(var(--_hue, 210) 35% 32%);
    font-weight: 600;
  }
  [part='others'] .count {
    font-size: clamp(1rem, 9cqi, 1.75rem);
    font-weight: 600;
  }
  [part='others'] .names {
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 0.8125rem;
    opacity: 0.85;
  }
  /* A phone's short tile has room for the faces and the count only. */
  @container (max-height: 8rem) {
    [part='others'] .names {
      display: none;
    }
  }
  /* The pre-join screen fills the room and sits in its middle, as Meet's does. */
  [part='prejoin'] {
    flex: 1;
    display: flex;
    align-items: center;
  }
  [part='message'] {
    flex: 1;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--_space-m);
    text-align: center;
    padding: var(--_space-m);
  }
  [part='message'] p {
    margin: 0;
    max-width: 36em;
  }
  :host(:state(error)) [part='message'] p {
    color: var(--_danger);
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  [part~='button'] {
    padding: var(--_space-s) var(--_space-m);
    font-weight: 600;
    color: var(--_on-accent);
    background: var(--_accent);
    border: none;
    border-radius: var(--_radius-m);
  }
  button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  .spinner {
    width: 28px;
    height: 28px;
    border: 3px solid var(--_border);
    border-top-color: var(--_accent);
    border-radius: 50%;
  }
  @media (prefers-reduced-motion: no-preference) {
    .spinner {
      animation: spin 0.9s linear infinite;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  /* In the flow above the stage, so it never covers a tile's name or status icons. */
  [part~='breakout-banner'] {
    order: -1;
  }
  [part='banner'] {
    order: -1;
    padding: var(--_space-s) var(--_space-m);
    color: var(--_on-accent);
    background: var(--_warning);
    border-radius: var(--_radius-m);
    text-align: center;
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--_space-s);
  }
  .secondary {
    padding: var(--_space-s) var(--_space-m);
    font-weight: 600;
    color: var(--_on-surface);
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
  }
  [part='details'] {
    max-width: 36em;
    font-size: var(--_font-size-s);
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  [part='notice'],
  [part='host-request'] {
    position: absolute;
    inset: auto var(--_room-gap) calc(var(--_room-gap) + 72px);
    z-index: 2;
    display: flex;
    gap: var(--_space-m);
    align-items: center;
    justify-content: space-between;
    max-width: 40em;
    margin-inline: auto;
    padding: var(--_space-s) var(--_space-m);
    color: var(--_on-surface);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.2);
  }
  [part='notice'] p,
  [part='host-request'] p {
    margin: 0;
  }
  [part='host-request'] {
    inset-block-end: calc(var(--_room-gap) + 72px);
    border-inline-start: 4px solid var(--_accent);
  }
  /* Removed by a host: a calm, final screen (no Try again: the same token can't come back). */
  [part~='removed'] {
    flex: 1;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--_space-s);
    text-align: center;
    padding: var(--_space-m);
  }
  [part~='removed'] p {
    margin: 0;
    max-width: 36em;
  }
  [part~='removed'] .removed-title {
    font-size: 1.25rem;
    font-weight: 600;
    color: var(--_on-surface);
  }
  :host(:state(error)) [part~='removed'] .removed-detail {
    color: var(--_muted);
  }
  :host(:state(error)) [part~='removed'] .removed-title {
    color: var(--_on-surface);
  }
  /* A reaction rises from the bottom of its sender's tile and fades. */
  .reaction {
    position: absolute;
    inset-block-end: 12%;
    inset-inline-start: calc(50% + var(--_drift, 0%) / 2);
    font-size: clamp(28px, 12cqmin, 56px);
    line-height: 1;
    translate: -50% 0;
    filter: drop-shadow(0 2px 4px rgb(0 0 0 / 0.35));
    opacity: 0;
    animation: reaction-fade 4s ease-out forwards;
  }
  @keyframes reaction-fade {
    8% {
      opacity: 1;
    }
    75% {
      opacity: 1;
    }
    to {
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: no-preference) {
    .reaction {
      animation:
        reaction-rise 4s cubic-bezier(0.2, 0.6, 0.3, 1) forwards,
        reaction-fade 4s ease-out forwards;
    }
    @keyframes reaction-rise {
      from {
        transform: translateY(20%) scale(0.6);
      }
      15% {
        transform: translateY(0) scale(1.1);
      }
      to {
        transform: translateY(-180%) scale(1);
      }
    }
  }
  [part~='audio-prompt'] {
    position: absolute;
    inset: auto 50% calc(var(--_room-gap) + 64px) auto;
    transform: translateX(50%);
    z-index: 2;
  }
  [part='empty'] {
    position: absolute;
    inset: auto 0 var(--_space-m);
    margin: 0 auto;
    width: fit-content;
    max-width: calc(100% - 2 * var(--_space-m));
    padding: var(--_space-s) var(--_space-m);
    color: var(--_on-surface);
    background: var(--_surface-raised);
    border-radius: 999px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
    text-align: center;
  }
  [part='presenting'] {
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--_space-m);
    min-height: 0;
    padding: var(--_space-m);
    text-align: center;
    border-radius: var(--_radius-m);
    background: var(--_surface-raised);
  }
  [part='presenting'] p {
    margin: 0;
    font-size: 1.1em;
  }
  .tile-menu-button {
    display: inline-grid;
    place-items: center;
    width: 1.75rem;
    height: 1.75rem;
    padding: 0;
    color: #ffffff;
    background: rgb(0 0 0 / 0.45);
    border: none;
    border-radius: 50%;
    opacity: 0.75;
  }
  .tile-menu-button .icon {
    width: 1rem;
    height: 1rem;
  }
  @media (hover: hover) {
    video-tile:hover .tile-menu-button {
      opacity: 1;
    }
  }
  .tile-menu-button:focus-visible {
    opacity: 1;
  }
  /* The people and chat panels: raised side panels over the stage, above the controls. */
  [part='people'],
  [part='chat'] {
    position: absolute;
    inset-block: var(--_room-gap) calc(var(--_room-gap) + 72px);
    inset-inline-end: var(--_room-gap);
    z-index: 2;
    display: grid;
    grid-template-rows: minmax(0, 1fr) auto;
    gap: var(--_space-s);
    width: min(20rem, calc(100% - 2 * var(--_room-gap)));
    padding: var(--_space-m);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.25);
  }
  [part='chat'] {
    width: min(22rem, calc(100% - 2 * var(--_room-gap)));
    padding: var(--_space-s);
  }
  [part='chat'] call-chat {
    min-height: 0;
  }
  /* A phone: the chat takes the whole room. */
  @media (max-width: 600px) {
    [part='chat'] {
      inset: 0;
      width: auto;
      border-radius: 0;
    }
  }
  [part='people'] participant-list {
    min-height: 0;
    overflow: auto;
  }
  .shortcuts {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: var(--_space-s) var(--_space-m);
    margin: 0;
  }
  .shortcuts dd {
    margin: 0;
  }
  kbd {
    display: inline-block;
    min-width: 1.5em;
    margin-inline-end: 2px;
    padding: 1px 6px;
    font: inherit;
    font-size: var(--_font-size-s);
    text-align: center;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
  }
  [part='connection-details'],
  [part='help'] {
    width: min(26rem, calc(100vw - 2 * var(--_space-m)));
    padding: 0;
    color: var(--_on-surface);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
  }
  [part='connection-details']::backdrop,
  [part='help']::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  [part='settings'] {
    width: min(32rem, calc(100vw - 2 * var(--_space-m)));
    max-height: calc(100vh - 2 * var(--_space-m));
    padding: 0;
    color: var(--_on-surface);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.3);
  }
  [part='settings']::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  .settings-body {
    display: grid;
    gap: var(--_space-m);
    padding: calc(var(--_space-m) * 1.5);
  }
  .settings-body h2 {
    margin: 0;
    font-size: 1.25em;
    font-weight: 500;
  }
  .settings-preview {
    width: 100%;
  }
  .settings-preview::part(name),
  .settings-preview::part(status) {
    display: none;
  }
  .close {
    justify-self: end;
    padding: var(--_space-s) var(--_space-m);
    color: inherit;
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
  }
`;
