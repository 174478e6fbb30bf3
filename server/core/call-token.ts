// Room tokens: HS256 JWTs that bind a user, a room and the user's rights. The host backend signs them with
// `createCallToken`; the call server verifies them on every proxy call and presence connection.
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import * as v from 'valibot';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { sanitizeDisplayName } from './display-name.js';
import { isValidRoomName, isValidUserId } from './room-name.js';

/** Who the bearer is, where they may be, and what they may do. Rights default to "denied" when absent. */
export interface CallTokenClaims {
  readonly userId: string;
  readonly room: string;
  readonly name: string;
  readonly canPublish: boolean;
  readonly canSubscribe: boolean;
  readonly canModerate: boolean;
  /** May publish a chat channel without `canPublish` (a viewer who chats). Absent means false. */
  readonly canChat?: boolean;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

export interface CreateCallTokenOptions {
  /** Shared with the call server; at least 32 bytes. */
  readonly secret: string;
  readonly room: string;
  readonly userId: string;
  /** Display name shown to others; control and bidi-override characters are stripped. Defaults to `userId`. */
  readonly name?: string;
  /** Default false. */
  readonly canPublish?: boolean;
  /** Default true: a token that can't even watch is rarely what a host wants. */
  readonly canSubscribe?: boolean;
  /** Default false. */
  readonly canModerate?: boolean;
  /** Default false: chat needs `canPublish` or this. */
  readonly canChat?: boolean;
  /** Lifetime, 1 s to 24 h. Default 1 h. The widget fetches a new token when it needs to reconnect. */
  readonly ttlSeconds?: number;
  /** For tests. */
  readonly now?: Clock;
}

export interface VerifyCallTokenOptions {
  readonly secret: string;
  /** When given, a token for any other room is refused (`room-mismatch`). */
  readonly room?: string;
  readonly now?: Clock;
}

export type CallTokenErrorCode =
  'invalid' | 'expired' | 'not-yet-valid' | 'missing-exp' | 'too-long-lived' | 'room-mismatch';

/** Why a token was refused. The message is safe to show; it never contains the token. */
export class CallTokenError extends Error {
  constructor(
    readonly code: CallTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallTokenError';
  }
}

const ALGORITHM = 'HS256';
const AUDIENCE = 'call-elements';
/** Accepted clock skew between the host backend and the call server, for both `exp` and `nbf`. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** The longest a room token can live (createCallToken signs no longer; verification refuses longer). */
export const MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const MAX_TTL_SECONDS = MAX_TOKEN_TTL_SECONDS;
const MIN_SECRET_BYTES = 32;

const PayloadSchema = v.object({
  sub: v.pipe(v.string(), v.check(isValidUserId)),
  room: v.pipe(v.string(), v.check(isValidRoomName)),
  name: v.optional(v.string()),
  canPublish: v.optional(v.boolean(), false),
  canSubscribe: v.optional(v.boolean(), false),
  canModerate: v.optional(v.boolean(), false),
  canChat: v.optional(v.boolean(), false),
  exp: v.number(),
});

function secretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`the call token secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return key;
}

/** Signs a room token for one user in one room. Call it from your backend's token endpoint. */
export async function createCallToken(options: CreateCallTokenOptions): Promise<string> {
  const { room, userId, ttlSeconds = 3600, now = systemClock } = options;
  if (!isValidRoomName(room)) throw new TypeError('room must be 1-256 characters without control characters');
  if (!isValidUserId(userId))
    throw new TypeError('userId must be 1-256 characters without control characters');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new TypeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  const issuedAt = Math.floor(now() / 1000);
  return new SignJWT({
    room,
    name: sanitizeDisplayName(options.name ?? userId),
    canPublish: options.canPublish ?? false,
    canSubscribe: options.canSubscribe ?? true,
    canModerate: options.canModerate ?? false,
    canChat: options.canChat ?? false,
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(secretKey(options.secret));
}

/**
 * Verifies a room token: HS256 only, signature, `aud`, a required `exp` at most 24 h ahead, `nbf`, 60 s of
 * skew, and the room when one is expected. Throws `CallTokenError` for any token it refuses.
 */
export async function verifyCallToken(
  token: string,
  options: VerifyCallTokenOptions,
): Promise<CallTokenClaims> {
  const key = secretKey(options.secret);
  const now = options.now ?? systemClock;
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      audience: AUDIENCE,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now()),
    }));
  } catch (error) {
    throw toCallTokenError(error);
  }
  const parsed = v.safeParse(PayloadSchema, payload);
  if (!parsed.success) throw new CallTokenError('invalid', 'token claims are missing or malformed');
  const claims = parsed.output;
  // A leaked token must not work for longer than createCallToken would ever have signed it for.
  if (claims.exp > Math.floor(now() / 1000) + MAX_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw new CallTokenError('too-long-lived', 'token expires more than 24 h from now');
  }
  if (options.room !== undefined && claims.room !== options.room) {
    throw new CallTokenError('room-mismatch', 'token is for another room');
  }
  return {
    userId: claims.sub,
    room: claims.room,
    name: sanitizeDisplayName(claims.name ?? claims.sub) || claims.sub,
    canPublish: claims.canPublish,
    canSubscribe: claims.canSubscribe,
    canModerate: claims.canModerate,
    canChat: claims.canChat,
    expiresAt: claims.exp,
  };
}

function toCallTokenError(error: unknown): CallTokenError {
  if (error instanceof joseErrors.JWTExpired) return new CallTokenError('expired', 'token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'exp' && error.reason === 'missing')
      return new CallTokenError('missing-exp', 'token has no expiry');
    if (error.claim === 'nbf') return new CallTokenError('not-yet-valid', 'token is not valid yet');
  }
  return new CallTokenError('invalid', 'token is not a valid call token');
}
