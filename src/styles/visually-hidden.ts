import { css } from 'lit';

/** `.visually-hidden`: read by screen readers, invisible on screen (status texts, live regions). */
export const visuallyHiddenStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
