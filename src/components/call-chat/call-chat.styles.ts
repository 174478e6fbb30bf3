import { css } from 'lit';

export const styles = css`
  /* Light and dark come from the shared tokens (prefers-color-scheme); the --call-chat-* ones override them. */
  :host {
    --_background: var(--call-chat-background, var(--_surface));
    --_color: var(--call-chat-color, var(--_on-surface));
    --_chat-muted: var(--call-chat-muted-color, var(--_muted));
    --_own: var(--call-chat-own-background, var(--call-color-accent-subtle, #e8f0fe));
    --_gap: var(--call-chat-gap, var(--_space-s));
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    background: var(--_background);
    color: var(--_color);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_own: var(--call-chat-own-background, var(--call-color-accent-subtle, #394457));
    }
  }
  [part='list'] {
    flex: 1;
    overflow-y: auto;
    padding: var(--_gap);
  }
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
  }
  [part='group'] {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  [part='sender'] {
    font-weight: 600;
    font-size: 0.85em;
  }
  time {
    color: var(--_chat-muted);
    font-size: 0.8em;
    margin-inline-start: var(--_gap);
  }
  [part='message'] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: plaintext;
    text-align: start;
  }
  .own [part='message'] {
    background: var(--_own);
    border-radius: var(--_radius-s);
    padding-inline: var(--_space-xs);
  }
  [part='link'] {
    color: var(--_accent);
  }
  [part='notice'],
  [part='hint'],
  [part='empty'] {
    margin: 0;
    color: var(--_chat-muted);
    font-size: 0.85em;
    font-style: italic;
  }
  [part='hint'] {
    margin: 0;
    padding-inline: var(--_gap);
  }
  [part='composer'] {
    display: flex;
    gap: var(--_gap);
    padding: var(--_gap);
  }
  textarea {
    flex: 1;
    resize: none;
    font: inherit;
    color: inherit;
    background: var(--_background);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-m);
    padding: var(--_space-xs) var(--_space-s);
  }
  textarea::placeholder {
    color: var(--_chat-muted);
  }
  [part='send'] {
    align-self: stretch;
    padding-inline: var(--_space-m);
    font: inherit;
    font-weight: 600;
    color: var(--_on-accent);
    background: var(--_accent);
    border: none;
    border-radius: var(--_radius-m);
    cursor: pointer;
  }
  @media (forced-colors: active) {
    [part='send'] {
      border: 1px solid ButtonText;
    }
  }
  textarea:focus-visible,
  [part='send']:focus-visible,
  [part='link']:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  [part='error'] {
    color: var(--call-chat-error-color, var(--_danger));
    margin: 0;
    padding-inline: var(--_gap);
  }
`;
