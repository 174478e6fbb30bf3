import { CallError, codeForStatus } from './call-error.js';

/** What the site's token endpoint answers: `{ token, serverUrl? }`. */
export interface CallToken {
  readonly token: string;
  /** The call server; defaults to the token endpoint's origin. */
  readonly serverUrl: string;
  /** Epoch milliseconds, from the token's `exp`, when readable. */
  readonly expiresAt?: number;
}

/** Reads `exp` from a JWT without verifying it: the client only needs to know when to refresh. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks the site's backend for a room token: `POST <endpoint>` with JSON `{ room, name? }`, cookies included.
 * Throws a `CallError`: `token-failed` (401, network, bad reply), `forbidden` (403), `rate-limited` (429).
 */
export async function fetchCallToken(
  endpoint: string,
  request: { room: string; name?: string },
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
    throw new CallError('token-failed', `Could not reach the token endpoint ${url.pathname}.`, true, {
      cause,
    });
  }
  if (!response.ok) {
    const code =
      response.status === 401 || response.status >= 500 ? 'token-failed' : codeForStatus(response.status);
    throw new CallError(code, `The token endpoint answered ${response.status}.`, response.status >= 500, {
      cause: await response.text().catch(() => ''),
    });
  }
  const body = (await response.json().catch(() => undefined)) as
    { token?: unknown; serverUrl?: unknown } | undefined;
  if (typeof body?.token !== 'string' || body.token === '') {
    throw new CallError('token-failed', 'The token endpoint did not answer { token }.', false);
  }
  const serverUrl = typeof body.serverUrl === 'string' ? new URL(body.serverUrl, url).origin : url.origin;
  return { token: body.token, serverUrl, expiresAt: tokenExpiry(body.token) };
}
