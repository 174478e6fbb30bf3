// Cross-origin access to the routes a page calls with fetch (`/partytracks/*`, `GET /rooms/:room`, the demo
// token endpoint), for exactly the origins the presence socket accepts. An allowed origin gets its own origin
// back (never `*`); a refused one gets no CORS headers, so the browser blocks it, and a 403 whenever the server
// sees the request at all. Preflights carry no credentials and are not authenticated.
import { jsonError } from './json-error.js';

/** The request headers a page may send: the room token, a JSON body type, and the session key. */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'call-session-key',
  'call-session-lock',
] as const;
/** Response headers a page's script may read. */
const CORS_EXPOSED_HEADERS = ['call-session-lock'];

/** How long a browser may reuse a preflight (Chromium caps it at 2 h). */
export const CORS_MAX_AGE_SECONDS = 7200;

export interface CorsOptions {
  /** Whether a page on `origin` may call the route; `request` is the request being answered. */
  readonly isAllowedOrigin: (origin: string, request: Request) => boolean;
  /** The methods a preflight is told about. */
  readonly methods: readonly string[];
  /** Adds `Access-Control-Allow-Credentials: true`, for an endpoint the page calls with its cookies. */
  readonly credentials?: boolean;
}

/** Wraps a handler with CORS: preflights are answered here, other requests are checked, then decorated. */
export function withCors<Args extends unknown[]>(
  handler: (request: Request, ...args: Args) => Promise<Response>,
  options: CorsOptions,
): (request: Request, ...args: Args) => Promise<Response> {
  return async (request, ...args) => {
    const origin = request.headers.get('origin');
    if (origin === null) return varyOnOrigin(await handler(request, ...args));
    const allowed = options.isAllowedOrigin(origin, request);
    if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      if (!allowed) return refused(origin);
      const headers = new Headers(allowHeaders(origin, options));
      headers.set('vary', 'Origin');
      headers.set('access-control-allow-methods', options.methods.join(', '));
      headers.set('access-control-allow-headers', CORS_ALLOWED_HEADERS.join(', '));
      headers.set('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
      return new Response(null, { status: 204, headers });
    }
    if (!allowed) return refused(origin);
    const response = await handler(request, ...args);
    if (response.status === 101) return response; // a WebSocket upgrade is never a CORS response
    const decorated = varyOnOrigin(response);
    for (const [name, value] of allowHeaders(origin, options)) decorated.headers.set(name, value);
    const exposed = CORS_EXPOSED_HEADERS.filter((name) => decorated.headers.has(name));
    if (exposed.length) decorated.headers.set('access-control-expose-headers', exposed.join(', '));
    return decorated;
  };
}

/** Same-origin only: what an app without an allowlist accepts. */
export const sameOriginOnly = (origin: string, request: Request): boolean =>
  origin === new URL(request.url).origin;

function allowHeaders(origin: string, options: CorsOptions): [string, string][] {
  const headers: [string, string][] = [['access-control-allow-origin', origin]];
  if (options.credentials) headers.push(['access-control-allow-credentials', 'true']);
  return headers;
}

function refused(origin: string): Response {
  const description = `pages on ${origin.slice(0, 200)} may not call the call server (ALLOWED_ORIGINS)`;
  return jsonError(403, 'origin_not_allowed', description, { vary: 'Origin' });
}

/**
 * The response with `Vary: Origin` added. A response made on this server gets the header in place: a copy
 * would turn its body into a stream, which the Node adapter writes after the headers, a turn of a busy event
 * loop later (the page has the headers of an SFU answer, and waits for its body). A response straight from
 * `fetch` has immutable headers: that one is copied.
 */
function varyOnOrigin(response: Response): Response {
  if (response.status === 101) return response;
  const vary = response.headers.get('vary');
  const value = !vary
    ? 'Origin'
    : /(^|,)\s*origin\s*(,|$)/i.test(vary) || vary.trim() === '*'
      ? vary
      : `${vary}, Origin`;
  try {
    response.headers.set('vary', value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set('vary', value);
    return copy;
  }
}
