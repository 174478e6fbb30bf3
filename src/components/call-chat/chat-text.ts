// Message text as DOM: plain text with http(s) links made clickable. Never HTML from a message: every piece
// is a text node, and only http/https URLs become anchors.

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/giu;
/**
 * Whether a text may hold a link at all: most messages don't, and this simpler check spares them the URL
 * pattern, a noticeable part of a message's way from the DataChannel to the screen (bench/README.md, chat).
 */
const MAY_HOLD_LINK = /https?:\/\//i;
/** Punctuation that usually ends a sentence, not a URL. */
const TRAILING = /[.,;:!?)\]}'"]+$/u;

/** A link found in a message: where it goes and the text shown for it. */
export interface TextLink {
  readonly href: string;
  readonly text: string;
}

/** `text` split into plain pieces and links. */
export function linkify(text: string): (string | TextLink)[] {
  if (!MAY_HOLD_LINK.test(text)) return [text];
  const parts: (string | TextLink)[] = [];
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
    parts.push(text.slice(last, start), { href: url.href, text: raw });
    last = start + raw.length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** Appends `text` to `parent`: text nodes, and `<a part="link">` for each link (opens elsewhere, no referrer). */
export function appendText(parent: Node, text: string): void {
  for (const piece of linkify(text)) {
    if (typeof piece === 'string') {
      if (piece) parent.appendChild(document.createTextNode(piece));
      continue;
    }
    const a = document.createElement('a');
    a.setAttribute('part', 'link');
    a.href = piece.href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer nofollow';
    a.textContent = piece.text;
    parent.appendChild(a);
  }
}
