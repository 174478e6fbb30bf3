// Turns what came back from routePartyTracksRequest into what the browser may see: JSON only, no redirects,
// a small header allowlist (no Set-Cookie), and never anything containing the SFU secret.
import { jsonError } from './json-error.js';

const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'vary'];

export interface UpstreamResult {
  readonly response: Response;
  /** The parsed JSON body, when the response is a forwarded SFU answer. */
  readonly json?: unknown;
}

export async function sanitizeUpstreamResponse(
  upstream: Response,
  appSecret: string,
): Promise<UpstreamResult> {
  if (upstream.status >= 300 && upstream.status < 400) {
    return { response: jsonError(502, 'upstream_error', 'the SFU answered with a redirect') };
  }
  const text = await upstream.text();
  if (text.includes(appSecret)) {
    return { response: jsonError(502, 'upstream_error', 'the SFU answer was withheld') };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { response: jsonError(502, 'upstream_error', 'the SFU answered with something other than JSON') };
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set('content-type', 'application/json');
  // No upstream Set-Cookie ever reaches the browser: the only cookie it gets is the proxy's session lock.
  return { response: new Response(text, { status: upstream.status, headers }), json };
}
