// The chat message on the wire: a versioned envelope, checked field by field on arrival. It carries no sender
// name: the sender is whoever owns the channel it arrived on (presence says who), so a name can't be spoofed.
// Checked by hand rather than with a schema library: it runs for every message on the way to the screen, and
// a schema's parse took ~0.06 ms of the ~0.4 ms from the DataChannel to the DOM (bench/README.md, chat).

export const CHAT_ENVELOPE_VERSION = 1;
/** Longest message text, in UTF-8 bytes. */
export const MAX_CHAT_TEXT_BYTES = 4 * 1024;
/** Longest message id. */
const MAX_ID_LENGTH = 64;

export interface ChatEnvelope {
  readonly v: typeof CHAT_ENVELOPE_VERSION;
  readonly type: 'chat';
  /** 1-64 characters, unique per message. */
  readonly id: string;
  /** Not empty, at most MAX_CHAT_TEXT_BYTES in UTF-8. */
  readonly text: string;
  /** Milliseconds since the epoch, by the sender's clock. */
  readonly sentAt: number;
}

/** Whether `text` fits in one message. */
export function fitsChatMessage(text: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts fit without encoding them.
  return (
    text.length * 3 <= MAX_CHAT_TEXT_BYTES || new TextEncoder().encode(text).byteLength <= MAX_CHAT_TEXT_BYTES
  );
}

export function encodeChatEnvelope(id: string, text: string, sentAt: number): string {
  return JSON.stringify({ v: CHAT_ENVELOPE_VERSION, type: 'chat', id, text, sentAt } satisfies ChatEnvelope);
}

/** The envelope in `data` (only its known fields), or undefined for anything malformed (dropped without a word). */
export function decodeChatEnvelope(data: unknown): ChatEnvelope | undefined {
  if (typeof data !== 'string' || data.length > MAX_CHAT_TEXT_BYTES * 4) return undefined;
  let parsed: Partial<Record<keyof ChatEnvelope, unknown>> | null;
  try {
    parsed = JSON.parse(data) as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, type, id, text, sentAt } = parsed;
  if (v !== CHAT_ENVELOPE_VERSION || type !== 'chat') return undefined;
  if (typeof id !== 'string' || id.length < 1 || id.length > MAX_ID_LENGTH) return undefined;
  if (typeof text !== 'string' || text.length < 1 || !fitsChatMessage(text)) return undefined;
  if (typeof sentAt !== 'number' || !Number.isFinite(sentAt)) return undefined;
  return { v, type, id, text, sentAt };
}
