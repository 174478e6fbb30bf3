// `/partytracks/*`: authenticate the room token, authorize the SFU call, check the session lock, then hand a
// cleaned-up request to partytracks' routePartyTracksRequest, which adds the SFU secret and forwards it.
import { routePartyTracksRequest } from 'partytracks/server';
import * as v from 'valibot';
import { ProxyErrorCode } from '../../src/protocol/proxy-error-codes.js';
import { SessionIdSchema } from '../../src/protocol/schemas.js';
import { SESSION_LOCK_HEADER } from '../../src/protocol/session-key.js';
import { CallTokenError, type CallTokenClaims } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import type { SfuCallBody } from '../core/proxy-authorization.js';
import type { ProxyRoomState } from '../core/proxy-room-state.js';
import { matchProxyRoute, type DataChannelOperation, type ProxyRoute } from '../core/proxy-route.js';
import {
  DataChannelsCloseBodySchema,
  DataChannelsEstablishBodySchema,
  DataChannelsNewBodySchema,
  DataChannelsUpdateBodySchema,
  RenegotiateBodySchema,
  TracksCloseBodySchema,
  TracksNewBodySchema,
  TracksUpdateBodySchema,
} from '../core/sfu-request-schemas.js';
import { bearerToken } from './bearer-token.js';
import { readBoundedBody } from './bounded-body.js';
import { jsonError } from './json-error.js';
import { createSessionLock, sessionKeyDigest, type IssuedLock } from './session-lock.js';
import type { SfuUpstream } from './sfu-upstream.js';
import { DEFAULT_UPSTREAM_TIMEOUT_MS, UpstreamTimeoutError, withDeadline } from './upstream-deadline.js';
import { forwardToSfu } from './sfu-forward.js';
import { sanitizeUpstreamResponse, type UpstreamResult } from './upstream-response.js';
import { createVerifiedTokens } from './verified-tokens.js';
import { withoutWithheld, withWithheldErrors } from './withheld-tracks.js';

export interface PartyTracksProxyOptions {
  readonly upstream: SfuUpstream;
  /** Verifies room tokens. */
  readonly tokenSecret: string;
  /**
   * The caller's room: its session owners, publications and `sessions/new` allowance. Node answers from its
   * own memory (`createLocalProxyRoomState`); Workers ask the room's Durable Object.
   */
  readonly rooms: (room: string) => ProxyRoomState;
  readonly now: Clock;
  /** Default `/partytracks`. */
  readonly prefix?: string;
  /** Default 128 KiB; SDP is rarely above 20 KB. */
  readonly maxBodyBytes?: number;
  /**
   * Locks each session to the page that created it with a cookie, or the page's session key where the cookie
   * can't travel (`session-lock.ts`). This replaces partytracks' own `lockSessionToInitiator`, which is always
   * passed as false. Default true.
   */
  readonly lockSessionToInitiator?: boolean;
  /**
   * How long one SFU call may take, answer body included, before the browser gets 504 `upstream_timeout`.
   * Default 10 s.
   */
  readonly upstreamTimeoutMs?: number;
  /**
   * The SFU answered 404 or 410 for a session it was asked about: it has dropped that session. Presence uses
   * this to remove a participant whose machine vanished (`PresenceHub.sessionGone`).
   */
  readonly onSessionGone?: (sessionId: string) => void;
}

const bodySchemas: Partial<Record<ProxyRoute['kind'], v.GenericSchema<unknown, SfuCallBody>>> = {
  'tracks-new': TracksNewBodySchema,
  renegotiate: RenegotiateBodySchema,
  'tracks-update': TracksUpdateBodySchema,
  'tracks-close': TracksCloseBodySchema,
};

const dataChannelBodySchemas: Record<DataChannelOperation, v.GenericSchema<unknown, SfuCallBody>> = {
  establish: DataChannelsEstablishBodySchema,
  new: DataChannelsNewBodySchema,
  update: DataChannelsUpdateBodySchema,
  close: DataChannelsCloseBodySchema,
};

const MAX_TURN_TTL_SECONDS = 48 * 60 * 60;

export function createPartyTracksProxy(
  options: PartyTracksProxyOptions,
): (request: Request) => Promise<Response> {
  const prefix = options.prefix ?? '/partytracks';
  const maxBodyBytes = options.maxBodyBytes ?? 128 * 1024;
  const lockSessionToInitiator = options.lockSessionToInitiator ?? true;
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const { upstream } = options;
  const lock = createSessionLock({ appSecret: upstream.appSecret, path: prefix, now: options.now });
  const verifyToken = createVerifiedTokens({ secret: options.tokenSecret, now: options.now });

  return async (request) => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(`${prefix}/`)) return jsonError(404, 'not_found', 'unknown path');
    const match = matchProxyRoute(request.method, url.pathname.slice(prefix.length + 1));
    if (!match.ok) {
      return match.status === 404
        ? jsonError(404, 'not_found', 'unknown SFU operation')
        : jsonError(405, 'method_not_allowed', `use ${match.allowed}`, { allow: match.allowed ?? '' });
    }
    const { route } = match;

    const caller = await authenticate(request, verifyToken);
    if (caller instanceof Response) return caller;

    const keyDigest = await sessionKeyDigest(request);
    if (keyDigest === 'malformed') {
      return jsonError(400, 'invalid_request', 'Call-Session-Key must be 32-128 URL-safe characters');
    }

    const room = options.rooms(caller.room);
    if (route.kind === 'new-session') {
      const taken = await room.takeSessionAllowance(caller.userId);
      if (!taken.ok) {
        return jsonError(429, 'rate_limited', 'too many new sessions; retry later', {
          'retry-after': String(taken.retryAfterSeconds),
        });
      }
    }

    const body = await readBoundedBody(request, maxBodyBytes);
    if (!body.ok) return body.response;
    const parsed = parseBody(route, body.text);
    if (parsed instanceof Response) return parsed;

    // After a restart the registry is empty: a session is taken back only by a lock that names this caller.
    if ('sessionId' in route && !(await room.knowsSession(route.sessionId))) {
      const reclaimed = await reclaim(request, route.sessionId, caller, keyDigest, room);
      if (!reclaimed) {
        return jsonError(
          410,
          ProxyErrorCode.sessionGone,
          'this server does not know that session (it expired, or the server restarted); start a new one',
        );
      }
    }

    const admission = await room.admit(route, parsed, caller);
    if (!admission.ok) return jsonError(admission.status, admission.errorCode, admission.errorDescription);

    if (
      lockSessionToInitiator &&
      'sessionId' in route &&
      (await lock.check(request, route.sessionId, admission.keyDigest)) !== 'valid'
    ) {
      return jsonError(
        401,
        'unauthorized',
        'this session was created by another page: its lock cookie or Call-Session-Key is missing or wrong',
      );
    }

    if (route.kind === 'generate-ice-servers' && !upstream.turn) {
      return Response.json(
        { iceServers: upstream.staticIceServers },
        { headers: { 'cache-control': 'no-store' } },
      );
    }

    const withheld = admission.withheld ?? [];
    const forwarded = withheld.length > 0 && parsed ? withoutWithheld(parsed, withheld) : parsed;
    // Only what the SFU needs: the path, the validated body and its type. No query string, no cookie.
    const payload = forwarded === undefined ? undefined : JSON.stringify(forwarded);
    let result: UpstreamResult;
    try {
      result = await withDeadline(upstreamTimeoutMs, async () =>
        sanitizeUpstreamResponse(
          route.kind === 'generate-ice-servers' && upstream.turn
            ? await routePartyTracksRequest({
                appId: upstream.appId,
                token: upstream.appSecret,
                realtimeApiBaseUrl: upstream.realtimeApiBaseUrl,
                prefix,
                request: withoutQuery(request),
                lockSessionToInitiator: false, // replaced by our own lock, above
                turnServerAppId: upstream.turn.keyId,
                turnServerAppToken: upstream.turn.apiToken,
                turnServerCredentialTTL: turnTtl(caller, options.now),
              })
            : await forwardToSfu(upstream, prefix, request, payload),
          upstream.appSecret,
        ),
      );
    } catch (error) {
      return error instanceof UpstreamTimeoutError
        ? jsonError(504, ProxyErrorCode.upstreamTimeout, 'the SFU did not answer in time; retry with backoff')
        : jsonError(502, ProxyErrorCode.upstreamUnavailable, 'the SFU could not be reached');
    }
    if ('sessionId' in route && (result.response.status === 404 || result.response.status === 410)) {
      options.onSessionGone?.(route.sessionId);
    }
    if (withheld.length > 0 && parsed) return withWithheldErrors(result, parsed, withheld);
    if (route.kind !== 'new-session' || !result.response.ok) return result.response;

    // Remember who created the session: every later call on it must come from the same user and room.
    const created = v.safeParse(v.object({ sessionId: SessionIdSchema }), result.json);
    if (!created.success) return jsonError(502, 'upstream_error', 'the SFU did not return a session id');
    await room.recordSession(
      created.output.sessionId,
      { userId: caller.userId, room: caller.room },
      keyDigest,
    );
    if (!lockSessionToInitiator) return result.response;
    const issued = await lock.issue(created.output.sessionId, {
      userId: caller.userId,
      room: caller.room,
      ...(keyDigest && { keyDigest }),
    });
    // A page that sends a session key (the widget does) keeps the lock from the header: no cookie, so rejoining
    // a hundred times doesn't pile up a hundred cookies until the Cookie header is refused.
    return withLock(result.response, issued, { cookie: keyDigest === undefined });
  };

  /**
   * Re-registers a session the registry does not know, when the request carries a valid lock for it that
   * names the caller's user and room (and, for a session created with a session key, comes with that key).
   */
  async function reclaim(
    request: Request,
    sessionId: string,
    caller: CallTokenClaims,
    keyDigest: string | undefined,
    room: ProxyRoomState,
  ): Promise<boolean> {
    const claims = await lock.claims(request, sessionId);
    if (!claims || claims.userId !== caller.userId || claims.room !== caller.room) return false;
    if (claims.keyDigest !== undefined && claims.keyDigest !== keyDigest) return false;
    await room.recordSession(sessionId, { userId: caller.userId, room: caller.room }, claims.keyDigest);
    return true;
  }

  function parseBody(route: ProxyRoute, text: string): SfuCallBody | undefined | Response {
    const schema =
      route.kind === 'datachannels' ? dataChannelBodySchemas[route.operation] : bodySchemas[route.kind];
    // `establish` may come without a body (the SFU then offers).
    if (route.kind === 'datachannels' && route.operation === 'establish' && text.length === 0)
      return undefined;
    if (!schema) {
      return text.length === 0
        ? undefined
        : jsonError(400, 'invalid_request', 'this operation takes no body');
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return jsonError(400, 'invalid_request', 'request body is not JSON');
    }
    // valibot's object schema accepts arrays; every SFU body is a JSON object.
    if (Array.isArray(data)) return jsonError(400, 'invalid_request', 'request body must be a JSON object');
    const result = v.safeParse(schema, data);
    if (!result.success) {
      const path = v.getDotPath(result.issues[0]);
      return jsonError(400, 'invalid_request', `request body is malformed${path ? ` at ${path}` : ''}`);
    }
    return result.output;
  }
}

/** `generate-ice-servers` (no body) as partytracks' TURN helper gets it: no query string, no cookie. */
function withoutQuery(request: Request): Request {
  const url = new URL(request.url);
  url.search = '';
  return new Request(url, { method: request.method });
}

/** The lock as a cookie (same origin) and in the `Call-Session-Lock` header (any origin). */
function withLock(response: Response, lock: IssuedLock, { cookie }: { cookie: boolean }): Response {
  const headers = new Headers(response.headers);
  if (cookie) headers.append('set-cookie', lock.cookie);
  headers.set(SESSION_LOCK_HEADER, lock.token);
  return new Response(response.body, { status: response.status, headers });
}

async function authenticate(
  request: Request,
  verifyToken: (token: string) => Promise<CallTokenClaims>,
): Promise<CallTokenClaims | Response> {
  const token = bearerToken(request);
  if (!token) return jsonError(401, 'unauthorized', 'send the room token as Authorization: Bearer <token>');
  try {
    return await verifyToken(token);
  } catch (error) {
    const description = error instanceof CallTokenError ? error.message : 'token is not a valid call token';
    return jsonError(401, 'unauthorized', description);
  }
}

// TURN credentials live about as long as the room token that asked for them.
function turnTtl(caller: CallTokenClaims, now: Clock): number {
  const remaining = caller.expiresAt - Math.floor(now() / 1000);
  return Math.min(MAX_TURN_TTL_SECONDS, Math.max(60, remaining));
}
