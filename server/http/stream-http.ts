// What the WHIP and WHEP routes share: room-token checks, SDP bodies, SDP and error replies, the ICE-server
// Link headers, resource ids and ETags. Errors are `{errorCode, errorDescription}` JSON like every other route.
import { CallTokenError, verifyCallToken, type CallTokenClaims } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import { bearerToken } from './bearer-token.js';
import { readBoundedBody } from './bounded-body.js';
import { jsonError, type ErrorStatus } from './json-error.js';
import type { IceServer } from './sfu-upstream.js';

/** Default body cap, as the partytracks proxy's. */
export const MAX_SDP_BYTES = 128 * 1024;

/** A browser player reads these from a cross-origin answer. */
const EXPOSED_HEADERS = 'location, etag, link, accept-patch, accept-post';

/** A call-server JSON error (`jsonError`) that a cross-origin WHIP/WHEP player may read the headers of. */
export function streamError(
  status: ErrorStatus,
  errorCode: string,
  errorDescription: string,
  headers: Record<string, string> = {},
): Response {
  return jsonError(status, errorCode, errorDescription, {
    'access-control-expose-headers': EXPOSED_HEADERS,
    ...headers,
  });
}

export function sdpResponse(status: number, sdp: string, headers: Record<string, string>): Response {
  return new Response(sdp, {
    status,
    headers: {
      'content-type': 'application/sdp',
      'cache-control': 'no-store',
      'access-control-expose-headers': EXPOSED_HEADERS,
      ...headers,
    },
  });
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, {
    status,
    headers: { 'cache-control': 'no-store', 'access-control-expose-headers': EXPOSED_HEADERS, ...headers },
  });
}

/**
 * The caller's room token, verified for `room`: 401 without one or with a bad one (with
 * `WWW-Authenticate: Bearer`, as RFC 9725 asks), 403 for another room's token.
 */
export async function verifyRoomToken(
  request: Request,
  room: string,
  secret: string,
  now: Clock,
): Promise<CallTokenClaims | Response> {
  const token = bearerToken(request);
  const challenge = { 'www-authenticate': 'Bearer' };
  if (!token) {
    return streamError(
      401,
      'unauthorized',
      'send the room token as Authorization: Bearer <token>',
      challenge,
    );
  }
  try {
    return await verifyCallToken(token, { secret, room, now });
  } catch (error) {
    if (error instanceof CallTokenError && error.code === 'room-mismatch') {
      return streamError(403, 'forbidden', 'the token is for another room');
    }
    const description = error instanceof CallTokenError ? error.message : 'token is not a valid call token';
    return streamError(401, 'unauthorized', description, challenge);
  }
}

/** True for `Content-Type: application/sdp`, parameters allowed. */
export function isSdpContent(request: Request): boolean {
  const type = request.headers.get('content-type') ?? '';
  return type.split(';')[0]!.trim().toLowerCase() === 'application/sdp';
}

/** The SDP body: 413 above the cap, 400 when it is not SDP. An empty body is `''`. */
export async function readSdp(request: Request, maxBytes: number): Promise<string | Response> {
  const body = await readBoundedBody(request, maxBytes);
  if (!body.ok) {
    const status = body.response.status as ErrorStatus; // readBoundedBody answers with jsonError
    const reply = (await body.response.json().catch(() => ({}))) as Record<string, string | undefined>;
    // The rest of an oversized body stays unread: the client must not reuse this connection. Node sends this
    // header; workerd drops a Worker's `Connection` and closes the connection itself.
    return streamError(status, reply.errorCode ?? 'invalid_request', reply.errorDescription ?? 'bad body', {
      ...(status === 413 ? { connection: 'close' } : {}),
    });
  }
  if (body.text.length > 0 && !body.text.startsWith('v=0')) {
    return streamError(400, 'invalid_sdp', 'the body is not an SDP description (it must start with v=0)');
  }
  return body.text;
}

/** `Link: <url>; rel="ice-server"` values (RFC 9725 §4.6), one per URL; none for the local SFU. */
export function iceServerLinks(servers: readonly IceServer[]): string[] {
  const quote = (value: string) => value.replace(/["\\]/g, '');
  return servers.flatMap((server) =>
    (typeof server.urls === 'string' ? [server.urls] : server.urls).map((url) => {
      let link = `<${url}>; rel="ice-server"`;
      if (server.username !== undefined && server.credential !== undefined) {
        link += `; username="${quote(server.username)}"; credential="${quote(server.credential)}"`;
        link += '; credential-type="password"';
      }
      return link;
    }),
  );
}

/** 128 random bits, hex: resource ids and ETags nobody can guess. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `If-Match` against the resource's ETag: absent or `*` passes. */
export function ifMatchFails(request: Request, etag: string): boolean {
  const header = request.headers.get('if-match');
  if (header === null || header.trim() === '*') return false;
  return !header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Runs `check` every `ms` until it returns false; returns a canceller. */
export function repeat(
  schedule: (ms: number, callback: () => void) => () => void,
  ms: number,
  check: () => Promise<boolean>,
): () => void {
  let cancel = () => {};
  let stopped = false;
  const tick = () => {
    cancel = schedule(ms, () => {
      void check()
        .catch(() => true)
        .then((again) => {
          if (again && !stopped) tick();
        });
    });
  };
  tick();
  return () => {
    stopped = true;
    cancel();
  };
}
