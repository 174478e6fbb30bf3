// The session lock: a cookie that ties an SFU session to the browser that created it, so a session id seen
// elsewhere is useless without it. It replaces partytracks' own lock, which signs with the SFU app secret
// itself and never expires. This one is an HS256 JWT signed with a key derived from the app secret (HKDF
// with its own label), and it expires when the session registry forgets the session.
//
// partytracks sends its requests without credentials, so the cookie never reaches a call server on another
// origin. There the session key does the same job: a random value the page sends in a header with every call
// (`src/protocol/session-key.ts`); the registry keeps its SHA-256 digest from `sessions/new` on. Either proof
// unlocks a session; a session created without a key can only be unlocked by its cookie.
//
// The lock also names the session's creator (user, room, and the digest of its session key, if any), so a
// call server that restarted and forgot its sessions can take ownership back from a lock it signed: the cookie,
// or the same JWT in the `Call-Session-Lock` header where the cookie can't travel.
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import {
  SESSION_KEY_HEADER,
  SESSION_KEY_PATTERN,
  SESSION_LOCK_HEADER,
} from '../../src/protocol/session-key.js';
import type { Clock } from '../core/clock.js';
import { BoundedCache } from './bounded-cache.js';

/** As long as the session registry remembers who created a session: after that it is refused anyway. */
export const SESSION_LOCK_TTL_SECONDS = 24 * 60 * 60;
const KEY_LABEL = 'call-elements session lock v1';

export const sessionLockCookieName = (sessionId: string) => `partytracks-session-${sessionId}`;

export type LockCheck = 'valid' | 'missing' | 'invalid';

/** Who created a session, as its lock says. */
export interface LockClaims {
  readonly userId: string;
  readonly room: string;
  /** The digest of the session key the session was created with, if any. */
  readonly keyDigest?: string;
}

export interface IssuedLock {
  /** The `Set-Cookie` value. */
  readonly cookie: string;
  /** The same lock for the `Call-Session-Lock` header. */
  readonly token: string;
}

export interface SessionLock {
  /** A lock tying `sessionId` to its creator and the browser that receives it. */
  issue(sessionId: string, creator: LockClaims): Promise<IssuedLock>;
  /**
   * The creator named by a valid, unexpired lock for `sessionId` in the request (cookie first, then the
   * `Call-Session-Lock` header); undefined without one.
   */
  claims(request: Request, sessionId: string): Promise<LockClaims | undefined>;
  /**
   * Whether `request` carries a valid, unexpired lock cookie for `sessionId`, or the session key whose digest
   * `keyDigest` the session was created with.
   */
  check(request: Request, sessionId: string, keyDigest?: string): Promise<LockCheck>;
}

export interface SessionLockOptions {
  /** The SFU app secret; only a key derived from it signs locks. */
  readonly appSecret: string;
  /** The cookie's `Path`: the proxy prefix. */
  readonly path: string;
  readonly now: Clock;
}

export function createSessionLock(options: SessionLockOptions): SessionLock {
  const key = deriveLockKey(options.appSecret);
  const seconds = () => Math.floor(options.now() / 1000);
  return {
    async issue(sessionId, creator) {
      const issuedAt = seconds();
      const jwt = await new SignJWT({
        sid: sessionId,
        room: creator.room,
        ...(creator.keyDigest && { kd: creator.keyDigest }),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(creator.userId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + SESSION_LOCK_TTL_SECONDS)
        .sign(await key);
      const cookie = [
        `${sessionLockCookieName(sessionId)}=${jwt}`,
        'HttpOnly',
        'Secure',
        'SameSite=Strict',
        `Path=${options.path}`,
        `Max-Age=${SESSION_LOCK_TTL_SECONDS}`,
      ].join('; ');
      return { cookie, token: jwt };
    },
    async claims(request, sessionId) {
      const candidates = [
        readCookie(request, sessionLockCookieName(sessionId)),
        request.headers.get(SESSION_LOCK_HEADER) ?? undefined,
      ];
      for (const candidate of candidates) {
        const payload = candidate === undefined ? undefined : await verify(candidate);
        if (payload?.sid !== sessionId) continue;
        const { sub, room, kd } = payload;
        if (typeof sub !== 'string' || typeof room !== 'string') continue;
        return { userId: sub, room, ...(typeof kd === 'string' && { keyDigest: kd }) };
      }
      return undefined;
    },
    async check(request, sessionId, keyDigest) {
      if (keyDigest !== undefined) {
        const key = await sessionKeyDigest(request);
        if (key === keyDigest) return 'valid';
        if (key !== undefined) return 'invalid';
      }
      const value =
        readCookie(request, sessionLockCookieName(sessionId)) ??
        request.headers.get(SESSION_LOCK_HEADER) ??
        undefined;
      if (value === undefined) return 'missing';
      return (await verify(value))?.sid === sessionId ? 'valid' : 'invalid';
    },
  };

  async function verify(jwt: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(jwt, await key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
        currentDate: new Date(options.now()),
      });
      return payload;
    } catch {
      return undefined;
    }
  }
}

/**
 * The hex SHA-256 of the request's session key; undefined without one, `'malformed'` for a value that is not
 * a session key.
 */
export async function sessionKeyDigest(request: Request): Promise<string | undefined | 'malformed'> {
  const key = request.headers.get(SESSION_KEY_HEADER);
  if (key === null) return undefined;
  if (!SESSION_KEY_PATTERN.test(key)) return 'malformed';
  // A page sends the same key with every call, and the proxy asks twice per call: a WebCrypto digest is a
  // turn of the event loop each time, which the SFU's media keeps busy.
  const known = keyDigests.get(key);
  if (known !== undefined) return known;
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  const digest = Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  keyDigests.set(key, digest);
  return digest;
}

/** Session keys seen lately, and their digests. */
const keyDigests = new BoundedCache<string, string>(4096);

/** HKDF-SHA-256 of the app secret with this lock's own label (WebCrypto: Node and Workers alike). */
async function deriveLockKey(appSecret: string): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const material = await crypto.subtle.importKey('raw', encoder.encode(appSecret), 'HKDF', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(KEY_LABEL) },
    material,
    256,
  );
  return new Uint8Array(bits);
}

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const pair = part.trim();
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return undefined;
}
