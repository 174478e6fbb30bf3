// The proxy verifies the page's room token on every SFU call, and a page sends the same token for an hour.
// Each verification is a few WebCrypto calls, each a turn of the event loop, which the SFU's media keeps
// busy: a token verified once is taken at its word until it expires, and only re-verified after that.
import type { Clock } from '../core/clock.js';
import { verifyCallToken, type CallTokenClaims } from '../core/call-token.js';
import { BoundedCache } from './bounded-cache.js';

/** Tokens remembered at once: a few per participant on the server. */
const DEFAULT_MAX_TOKENS = 4096;

export interface VerifiedTokensOptions {
  readonly secret: string;
  readonly now: Clock;
  readonly max?: number;
}

/** `verifyCallToken` (no expected room), remembering what it accepted until the token's `exp`. */
export function createVerifiedTokens(
  options: VerifiedTokensOptions,
): (token: string) => Promise<CallTokenClaims> {
  const { secret, now } = options;
  const accepted = new BoundedCache<string, CallTokenClaims>(options.max ?? DEFAULT_MAX_TOKENS);
  return async (token) => {
    const known = accepted.get(token);
    if (known && now() < known.expiresAt * 1000) return known;
    accepted.delete(token);
    const claims = await verifyCallToken(token, { secret, now });
    accepted.set(token, claims);
    return claims;
  };
}
