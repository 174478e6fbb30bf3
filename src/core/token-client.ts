import * as v from 'valibot';
import { CallError, tokenEndpointErrorCode } from './call-error.js';

/** The `iceServers` a token endpoint may send: `RTCIceServer`s with string credentials. */
const IceServersSchema = v.array(
  v.object({
    urls: v.union([v.string(), v.array(v.string())]),
    username: v.optional(v.string()),
    credential: v.optional(v.string()),
  }),
);

/** What the site's token endpoint answers: `{ token, serverUrl?, iceServers? }`. */
export interface CallToken {
  readonly token: string;
  /** The call server; defaults to the token endpoint's origin. */
  readonly serverUrl: string;
  /**
   * STUN/TURN servers, when the endpoint hands them out with the token: the connection then starts without
   * asking the call server's `generate-ice-servers` first.
   */
  readonly iceServers?: RTCIceServer[];
  /** Epoch milliseconds, from the token's `exp`, when readable. */
  readonly expiresAt?: number;
  /** The token's `canPublish`, when readable: false means a viewer, who never opens a camera or microphone. */
  readonly canPublish?: boolean;
  /** The token's `canChat`, when readable: a viewer with it may send chat messages. */
  readonly canChat?: boolean;
  /** The token's user (`sub`), when readable: a renamed token of the same user keeps its SFU session. */
  readonly userId?: string;
}

/**
 * Reads `exp`, `canPublish`, `canChat` and `sub` from a JWT without verifying it: hints for when to refresh,
 * whether to open devices at all, and whose it is. The call server verifies the token and enforces its rights;
 * presence's `hello` confirms them.
 */
export function tokenHints(token: string): {
  expiresAt?: number;
  canPublish?: boolean;
  canChat?: boolean;
  userId?: string;
} {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    return {
      ...(typeof claims.exp === 'number' && { expiresAt: claims.exp * 1000 }),
      ...(typeof claims.canPublish === 'boolean' && { canPublish: claims.canPublish }),
      ...(typeof claims.canChat === 'boolean' && { canChat: claims.canChat }),
      ...(typeof claims.sub === 'string' && { userId: claims.sub }),
    };
  } catch {
    return {};
  }
}

/**
 * Asks the site's backend for a room token: `POST <endpoint>` with JSON `{ room, name?, previous? }`, cookies
 * included. `previous` is the token a refresh renews: a backend without a session of its own (the development
 * endpoint) keeps the same user with it.
 * Throws a `CallError`: `token-failed` (401, network, bad reply), `forbidden` (403), `rate-limited` (429);
 * an aborted `signal` throws its `AbortError`.
 */
export async function fetchCallToken(
  endpoint: string,
  request: { room: string; name?: string; previous?: string },
  signal?: AbortSignal,
): Promise<CallToken> {
  const url = new URL(endpoint, location.href);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new CallError('token-failed', `Could not reach the token endpoint ${url.pathname}.`, true, {
      cause,
    });
  }
  if (!response.ok) {
    const code = tokenEndpointErrorCode(response.status);
    throw new CallError(code, `The token endpoint answered ${response.status}.`, response.status >= 500, {
      cause: await response.text().catch(() => ''),
    });
  }
  const body = (await response.json().catch(() => undefined)) as
    { token?: unknown; serverUrl?: unknown; iceServers?: unknown } | undefined;
  if (typeof body?.token !== 'string' || body.token === '') {
    throw new CallError('token-failed', 'The token endpoint did not answer { token }.', false);
  }
  const serverUrl = typeof body.serverUrl === 'string' ? new URL(body.serverUrl, url).origin : url.origin;
  const iceServers = readIceServers(body.iceServers);
  return { token: body.token, serverUrl, ...(iceServers && { iceServers }), ...tokenHints(body.token) };
}

/** `iceServers` when it is a list of `{ urls, username?, credential? }`; otherwise nothing (then asked later). */
function readIceServers(value: unknown): RTCIceServer[] | undefined {
  const parsed = v.safeParse(IceServersSchema, value);
  // The input itself, not the parsed copy: that would drop fields the schema doesn't name.
  return parsed.success ? (value as RTCIceServer[]) : undefined;
}

/**
 * The call server's STUN/TURN servers for a token that came without them (`generate-ice-servers`, with the same
 * headers partytracks sends). partytracks would ask itself, but without its headers, which the call server
 * refuses. Undefined when they can't be had: partytracks then asks, and connects without if refused.
 */
export async function fetchIceServers(
  serverUrl: string,
  headers: Headers,
  signal?: AbortSignal,
): Promise<RTCIceServer[] | undefined> {
  try {
    const response = await fetch(`${serverUrl}/partytracks/generate-ice-servers`, { headers, signal });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { iceServers?: unknown };
    return readIceServers(body.iceServers);
  } catch {
    return undefined;
  }
}
