import { css } from 'lit';

/**
 * Private variables every element resolves from the global `--call-*` tokens, each with a literal fallback so
 * the elements look right with no theme loaded. Light and dark follow `prefers-color-scheme`.
 */
export const tokenStyles = css`
  :host {
    --_surface: var(--call-color-surface, #ffffff);
    --_surface-raised: var(--call-color-surface-raised, #f1f3f4);
    --_on-surface: var(--call-color-on-surface, #1f1f1f);
    --_muted: var(--call-color-on-surface-muted, #5f6368);
    --_border: var(--call-color-border, #c4c7c5);
    --_accent: var(--call-color-accent, #1a73e8);
    --_on-accent: var(--call-color-on-accent, #ffffff);
    --_danger: var(--call-color-danger, #c5221f);
    --_warning: var(--call-color-warning, #b06000);
    --_success: var(--call-color-success, #188038);
    --_radius-s: var(--call-radius-s, 4px);
    --_radius-m: var(--call-radius-m, 8px);
    --_space-xs: var(--call-space-xs, 4px);
    --_space-s: var(--call-space-s, 8px);
    --_space-m: var(--call-space-m, 12px);
    --_font-size-s: var(--call-font-size-s, 12px);
    --_focus-ring: var(--call-focus-ring, 2px solid var(--_accent));
    --_duration-fast: var(--call-duration-fast, 150ms);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_surface: var(--call-color-surface, #202124);
      --_surface-raised: var(--call-color-surface-raised, #2d2e31);
      --_on-surface: var(--call-color-on-surface, #e8eaed);
      --_muted: var(--call-color-on-surface-muted, #9aa0a6);
      --_border: var(--call-color-border, #5f6368);
      --_accent: var(--call-color-accent, #8ab4f8);
      --_on-accent: var(--call-color-on-accent, #202124);
      --_danger: var(--call-color-danger, #f28b82);
      --_warning: var(--call-color-warning, #fdd663);
      --_success: var(--call-color-success, #81c995);
    }
  }
`;
