// The chat message on the wire: a versioned envelope, checked with valibot on arrival. It carries no sender
// name: the sender is whoever owns the channel it arrived on (presence says who), so a name can't be spoofed.
import * as v from 'valibot';

export const CHAT_ENVELOPE_VERSION = 1;
/** Longest message text, in UTF-8 bytes. */
export const MAX_CHAT_TEXT_BYTES = 4 * 1024;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).byteLength;

export const ChatEnvelopeSchema = v.object({
  v: v.literal(CHAT_ENVELOPE_VERSION),
  type: v.literal('chat'),
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  text: v.pipe(
    v.string(),
    v.minLength(1),
    v.check((text) => utf8Bytes(text) <= MAX_CHAT_TEXT_BYTES, 'text is longer than 4 KB'),
  ),
  /** Milliseconds since the epoch, by the sender's clock. */
  sentAt: v.pipe(v.number(), v.finite()),
});
export type ChatEnvelope = v.InferOutput<typeof ChatEnvelopeSchema>;

/** Whether `text` fits in one message. */
export function fitsChatMessage(text: string): boolean {
  return utf8Bytes(text) <= MAX_CHAT_TEXT_BYTES;
}

export function encodeChatEnvelope(id: string, text: string, sentAt: number): string {
  return JSON.stringify({ v: CHAT_ENVELOPE_VERSION, type: 'chat', id, text, sentAt } satisfies ChatEnvelope);
}

/** The envelope in `data`, or undefined for anything malformed (dropped without a word). */
export function decodeChatEnvelope(data: unknown): ChatEnvelope | undefined {
  if (typeof data !== 'string' || data.length > MAX_CHAT_TEXT_BYTES * 4) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = v.safeParse(ChatEnvelopeSchema, parsed);
  return result.success ? result.output : undefined;
}
