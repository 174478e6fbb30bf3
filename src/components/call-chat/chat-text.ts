// Message text as Lit templates: plain text with http(s) links made clickable. Never HTML from a message:
// every piece is bound as text, and only http/https URLs become anchors.
import { html, type TemplateResult } from 'lit';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/giu;
/** Punctuation that usually ends a sentence, not a URL. */
const TRAILING = /[.,;:!?)\]}'"]+$/u;

export function linkify(text: string): (string | TemplateResult)[] {
  const parts: (string | TemplateResult)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(TRAILING, '');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    const start = match.index ?? 0;
    parts.push(text.slice(last, start));
    parts.push(
      html`<a part="link" href=${url.href} target="_blank" rel="noopener noreferrer nofollow">${raw}</a>`,
    );
    last = start + raw.length;
  }
  parts.push(text.slice(last));
  return parts;
}
