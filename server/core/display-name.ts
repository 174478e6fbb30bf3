// Display names come from host backends; keep them printable and bounded before anyone renders them.
import { MAX_NAME_LENGTH } from '../../src/protocol/limits.js';

// C0/C1 controls and the bidi embedding/override/isolate characters that can reorder surrounding text.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Strips control and bidi-override characters, trims, and caps the length (in code points). */
export function sanitizeDisplayName(name: string): string {
  const cleaned = name.replace(UNSAFE_CHARACTERS, '').trim();
  return Array.from(cleaned).slice(0, MAX_NAME_LENGTH).join('');
}
