// DEVELOPMENT ONLY: `POST /api/call-token` grants a publish+subscribe token to anyone who asks.
// It implements the token-endpoint contract the widget relies on (see README "Backend"): the request is
// JSON `{ room, name? }`, the reply `{ token, serverUrl?, iceServers? }` (serverUrl defaults to the endpoint's
// origin; without iceServers the widget asks the proxy's generate-ice-servers).
// For the broadcast demo it also grants a role the page asks for, as `?role=` on the endpoint's URL (the widget
// posts to `token-endpoint` as written) or `role` in the body: `host` may publish and moderate (only a caller
// on this machine gets it), `viewer` only watches. A production endpoint decides roles itself; this one trusts the asker, which only a demo may.
import * as v from 'valibot';
import { MAX_NAME_LENGTH } from '../../src/protocol/limits.js';
import { createCallToken, verifyCallToken } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import { KeyedRateLimiter, type TokenBucketOptions } from '../core/token-bucket.js';
import { ProxyErrorCode } from '../../src/protocol/proxy-error-codes.js';
import { isValidRoomName } from '../core/room-name.js';
import { readBoundedBody } from './bounded-body.js';
import { jsonError } from './json-error.js';
import type { IceServer } from './sfu-upstream.js';

export interface DemoTokenEndpointOptions {
  readonly tokenSecret: string;
  readonly now: Clock;
  /** Default 1 h. */
  readonly ttlSeconds?: number;
  /** Put in the reply when the call server is not on the endpoint's origin. */
  readonly serverUrl?: string;
  /** Put in the reply so the widget connects without asking `generate-ice-servers` first. */
  readonly iceServers?: readonly IceServer[];
  /**
   * Tokens per client address: a burst of 60, then two a second by default (test suites open many pages from
   * one address). Beyond it: 429 + Retry-After.
   */
  readonly rate?: TokenBucketOptions;
}

/** Addresses of this machine: only they may ask for a host token. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** The endpoint as a handler; `clientAddress` keys the rate limit (the adapter knows it, a Request doesn't). */
export type DemoTokenHandler = (request: Request, clientAddress?: string) => Promise<Response>;

const RoleSchema = v.picklist(['participant', 'host', 'viewer']);
type Role = v.InferOutput<typeof RoleSchema>;

const TokenRequestSchema = v.object({
  room: v.pipe(v.string(), v.check(isValidRoomName, 'room must be 1-256 characters')),
  name: v.optional(v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH))),
  role: v.optional(RoleSchema),
  /** The token a refresh renews: its user stays the same (else every refresh was a new guest). */
  previous: v.optional(v.pipe(v.string(), v.maxLength(2048))),
});

/** What each role may do. */
const RIGHTS: Readonly<Record<Role, { canPublish: boolean; canModerate: boolean }>> = {
  participant: { canPublish: true, canModerate: false },
  host: { canPublish: true, canModerate: true },
  viewer: { canPublish: false, canModerate: false },
};

export function createDemoTokenEndpoint(options: DemoTokenEndpointOptions): DemoTokenHandler {
  const limiter = new KeyedRateLimiter(options.rate ?? { capacity: 60, refillPerSecond: 2 }, options.now);
  return async (request, clientAddress = 'unknown') => {
    if (request.method !== 'POST') return jsonError(405, 'method_not_allowed', 'use POST', { allow: 'POST' });
    const taken = limiter.take(clientAddress);
    if (!taken.ok) {
      return jsonError(429, ProxyErrorCode.rateLimited, 'too many tokens from this address; retry later', {
        'retry-after': String(taken.retryAfterSeconds),
      });
    }
    const body = await readBoundedBody(request, 4096);
    if (!body.ok) return body.response;
    let data: unknown;
    try {
      data = JSON.parse(body.text);
    } catch {
      return jsonError(400, 'invalid_request', 'send JSON { room, name? }');
    }
    const queryRole = new URL(request.url).searchParams.get('role');
    const parsed = v.safeParse(TokenRequestSchema, {
      ...(typeof data === 'object' && data !== null ? data : {}),
      ...(queryRole !== null && { role: queryRole }),
    });
    if (!parsed.success) {
      return jsonError(
        400,
        'invalid_request',
        'send JSON { room, name?, role? } with a valid room; role is participant, host or viewer',
      );
    }
    const rights = RIGHTS[parsed.output.role ?? 'participant'];

    // Host rights only for a caller on this machine: the demo endpoint hands tokens to anyone, the right to
    // remove people and run breakouts to nobody else.
    if (rights.canModerate && !LOOPBACK.test(clientAddress)) {
      return jsonError(403, ProxyErrorCode.forbidden, 'host tokens are only for callers on this machine');
    }

    // A fresh guest identity per join: two tabs are two participants, which is what a demo wants. A refresh
    // names the token it renews and stays the same guest: presence refuses a refresh for another user.
    const renewed = await renewedUser(parsed.output.previous, parsed.output.room, options);
    const userId = renewed ?? `guest-${crypto.randomUUID()}`;
    const token = await createCallToken({
      secret: options.tokenSecret,
      room: parsed.output.room,
      userId,
      name: parsed.output.name?.trim() || `${rights.canModerate ? 'Host' : 'Guest'} ${userId.slice(6, 10)}`,
      ...rights,
      canSubscribe: true,
      ttlSeconds: options.ttlSeconds ?? 3600,
      now: options.now,
    });
    const { serverUrl, iceServers } = options;
    const reply = { token, ...(serverUrl && { serverUrl }), ...(iceServers && { iceServers }) };
    return Response.json(reply, { headers: { 'cache-control': 'no-store' } });
  };
}

/** The user of a still valid token of this room that a refresh renews; undefined for anything else. */
async function renewedUser(
  previous: string | undefined,
  room: string,
  options: DemoTokenEndpointOptions,
): Promise<string | undefined> {
  if (previous === undefined) return undefined;
  const claims = await verifyCallToken(previous, {
    secret: options.tokenSecret,
    room,
    now: options.now,
  }).catch(() => undefined);
  return claims?.userId;
}
