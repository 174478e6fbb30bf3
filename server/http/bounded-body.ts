// Reads a request body with a hard size cap, whether or not Content-Length is present or honest.
import { jsonError } from './json-error.js';

export type BodyResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly response: Response };

const tooLarge = (maxBytes: number) =>
  jsonError(413, 'payload_too_large', `request body exceeds ${maxBytes} bytes`);

export async function readBoundedBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (!/^\d+$/.test(declared.trim())) {
      return { ok: false, response: jsonError(400, 'invalid_request', 'Content-Length is not a number') };
    }
    if (Number(declared) > maxBytes) return { ok: false, response: tooLarge(maxBytes) };
  }
  if (!request.body) return { ok: true, text: '' };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, response: tooLarge(maxBytes) };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, response: jsonError(400, 'invalid_request', 'request body could not be read') };
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, response: jsonError(400, 'invalid_request', 'request body is not UTF-8') };
  }
}
