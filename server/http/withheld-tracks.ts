// Pulls the proxy keeps from the SFU (proxy-authorization's `withheld`): the request goes on without them, and
// the SFU's answer gets them back as per-item errors, in the shape the SFU uses for an item it can't serve.
import type { SfuCallBody, WithheldTrack } from '../core/proxy-authorization.js';
import type { UpstreamResult } from './upstream-response.js';

/** `body` without the withheld items. */
export function withoutWithheld(body: SfuCallBody, withheld: readonly WithheldTrack[]): SfuCallBody {
  const skipped = new Set(withheld.map((w) => w.index));
  return { ...body, tracks: body.tracks?.filter((_, index) => !skipped.has(index)) };
}

/** The SFU's answer with an error item for each withheld pull appended to its `tracks`. */
export function withWithheldErrors(
  result: UpstreamResult,
  body: SfuCallBody,
  withheld: readonly WithheldTrack[],
): Response {
  const answer = result.json as { tracks?: unknown[] } | undefined;
  if (!result.response.ok || typeof answer !== 'object' || answer === null) return result.response;
  const errors = withheld.map(({ index, errorCode, errorDescription }) => {
    const { sessionId, trackName } = body.tracks?.[index] ?? {};
    return { location: 'remote', sessionId, trackName, errorCode, errorDescription };
  });
  const headers = new Headers(result.response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify({ ...answer, tracks: [...(answer.tracks ?? []), ...errors] }), {
    status: result.response.status,
    headers,
  });
}
