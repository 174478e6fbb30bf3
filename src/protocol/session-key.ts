// The session key: a random value a page sends with every SFU proxy call, in the `Call-Session-Key` header. The
// call server binds each SFU session to the key of the page that created it, like the lock cookie does; unlike
// the cookie, the header also reaches a call server on another origin (partytracks sends no credentials).

export const SESSION_KEY_HEADER = 'Call-Session-Key';

/** 32 to 128 URL-safe characters; `createSessionKey()` makes 64 hex digits (256 bits). */
export const SESSION_KEY_PATTERN = /^[\w-]{32,128}$/;

export function createSessionKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/**
 * The session lock where no cookie travels (a call server on another origin): `sessions/new` answers with
 * it in this header, and a page that keeps it and sends it back on a session's calls proves it created that
 * session even after the call server restarted and forgot. A lock made with a session key needs that key too.
 */
export const SESSION_LOCK_HEADER = 'Call-Session-Lock';
