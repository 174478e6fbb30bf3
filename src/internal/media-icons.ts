import { svg, type SVGTemplateResult } from 'lit';

/** Line icons of the media switches, shared by the controls and the pre-join screen. */
export const mediaIcons = {
  mic: svg`<rect x="9" y="3" width="6" height="11" rx="3" /><path d="M5 11a7 7 0 0 0 14 0M12 18v3" />`,
  camera: svg`<rect x="3" y="6" width="12" height="12" rx="2" /><path d="M15 10.5l6-3.5v10l-6-3.5" />`,
  /** Drawn over an icon to say "off". */
  slash: svg`<path d="M4 4l16 16" />`,
} satisfies Record<string, SVGTemplateResult>;
