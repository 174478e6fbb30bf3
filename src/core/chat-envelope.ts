// The chat message on the wire: a versioned envelope, checked with valibot on arrival. It carries no sender
// name: the sender is whoever owns the channel it arrived on (presence says who), so a name can't be spoofed.
// The check runs for every message on the way to the screen: it stops at the first problem, and a text that
// is short in UTF-16 units is not encoded to count its UTF-8 bytes.
import * as v from 'valibot';

export const CHAT_ENVELOPE_VERSION = 1;
/** Longest message text, in UTF-8 bytes. */
export const MAX_CHAT_TEXT_BYTES = 4 * 1024;
/** Longest message id. */
const MAX_ID_LENGTH = 64;

/** Whether `text` fits in one message. */
export function fitsChatMessage(text: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts fit without encoding them.
  return (
    text.length * 3 <= MAX_CHAT_TEXT_BYTES || new TextEncoder().encode(text).byteLength <= MAX_CHAT_TEXT_BYTES
  );
}

export const ChatEnvelopeSchema = v.object({
  v: v.literal(CHAT_ENVELOPE_VERSION),
  type: v.literal('chat'),
  /** 1-64 characters, unique per message. */
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH)),
  /** Not empty, at most MAX_CHAT_TEXT_BYTES in UTF-8. */
  text: v.pipe(v.string(), v.minLength(1), v.check(fitsChatMessage, 'text is longer than 4 KB')),
  /** Milliseconds since the epoch, by the sender's clock. */
  sentAt: v.pipe(v.number(), v.finite()),
});
export type ChatEnvelope = v.InferOutput<typeof ChatEnvelopeSchema>;

export function encodeChatEnvelope(id: string, text: string, sentAt: number): string {
  return JSON.stringify({ v: CHAT_ENVELOPE_VERSION, type: 'chat', id, text, sentAt } satisfies ChatEnvelope);
}

const PARSE_CONFIG = { abortEarly: true } as const;

/** The envelope in `data` (only its known fields), or undefined for anything malformed (dropped without a word). */
export function decodeChatEnvelope(data: unknown): ChatEnvelope | undefined {
  if (typeof data !== 'string' || data.length > MAX_CHAT_TEXT_BYTES * 4) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = v.safeParse(ChatEnvelopeSchema, parsed, PARSE_CONFIG);
  return result.success ? result.output : undefined;
}
