import { css } from 'lit';

export const styles = css`
  :host {
    --_background: var(--call-chat-background, var(--call-color-surface, #ffffff));
    --_color: var(--call-chat-color, var(--call-color-on-surface, #1f1f1f));
    --_muted: var(--call-chat-muted-color, var(--call-color-on-surface-muted, #5f6368));
    --_own: var(--call-chat-own-background, var(--call-color-accent-subtle, #e8f0fe));
    --_gap: var(--call-chat-gap, var(--call-space-s, 8px));
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    background: var(--_background);
    color: var(--_color);
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
    color: var(--_muted);
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
    border-radius: 6px;
    padding-inline: 4px;
  }
  [part='notice'],
  [part='hint'],
  [part='empty'] {
    margin: 0;
    color: var(--_muted);
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
  }
  [part='error'] {
    color: var(--call-chat-error-color, var(--call-color-danger, #c5221f));
    margin: 0;
    padding-inline: var(--_gap);
  }
`;
