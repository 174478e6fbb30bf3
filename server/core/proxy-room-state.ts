// What the SFU proxy asks about the caller's room before it forwards a call: may this user create another
// session, may this call go through, and (after `sessions/new`) who created the session. On Node the answers
// come from the process's own maps; on Workers from the room's Durable Object over RPC, which answers with
// this same code over its SQLite storage. Every method may therefore be asynchronous.
import { ProxyErrorCode } from '../../src/protocol/proxy-error-codes.js';
import type { CallTokenClaims } from './call-token.js';
import type { PublicationLookup } from './presence-directory.js';
import { authorizeSfuCall, type AuthorizationDecision, type SfuCallBody } from './proxy-authorization.js';
import type { ProxyRoute } from './proxy-route.js';
import type { RemovalLookup } from './removal-ledger.js';
import type { SessionOwner } from './session-registry.js';
import type { KeyedRateLimiter, TakeResult } from './token-bucket.js';

/** The authorization decision, and the digest of the session key the call's session was created with. */
export type Admission = AuthorizationDecision & { readonly keyDigest?: string };

/** One room's answers to the proxy. */
export interface ProxyRoomState {
  /** Takes one `sessions/new` from the user's allowance. */
  takeSessionAllowance(userId: string): TakeResult | Promise<TakeResult>;
  /** Authorizes the call (`authorizeSfuCall`) and looks up its session's key digest, in one round trip. */
  admit(
    route: ProxyRoute,
    body: SfuCallBody | undefined,
    caller: CallTokenClaims,
  ): Admission | Promise<Admission>;
  /** Whether anyone is known to have created this session (after a restart: nobody, until reclaimed). */
  knowsSession(sessionId: string): boolean | Promise<boolean>;
  /** Remembers who created a new session, and the digest of the session key its page sent. */
  recordSession(sessionId: string, owner: SessionOwner, keyDigest?: string): void | Promise<void>;
}

/** Who created which session, as the proxy and presence need it (SessionRegistry, or a room's SQLite). */
export interface SessionStore {
  record(sessionId: string, owner: SessionOwner, keyDigest?: string): void;
  ownerOf(sessionId: string): SessionOwner | undefined;
  isOwnedBy(sessionId: string, owner: SessionOwner): boolean;
  keyDigestOf(sessionId: string): string | undefined;
}

export interface LocalProxyRoomStateOptions {
  readonly sessions: SessionStore;
  readonly publications: PublicationLookup;
  readonly sessionLimiter: KeyedRateLimiter;
  /** Users a host removed: every call of theirs in that room is refused (403 `removed`). */
  readonly removals?: RemovalLookup;
}

const REMOVED: Admission = {
  ok: false,
  status: 403,
  errorCode: ProxyErrorCode.removed,
  errorDescription: 'a host removed you from this room',
};

/** The answers from state held right here: the Node process's maps, or inside the room's Durable Object. */
export function createLocalProxyRoomState(options: LocalProxyRoomStateOptions): ProxyRoomState {
  return {
    takeSessionAllowance: (userId) => options.sessionLimiter.take(userId),
    admit(route, body, caller) {
      if (options.removals?.isRemoved(caller.room, caller.userId)) return REMOVED;
      const decision = authorizeSfuCall(route, body, caller, options);
      const keyDigest = 'sessionId' in route ? options.sessions.keyDigestOf(route.sessionId) : undefined;
      return keyDigest === undefined ? decision : { ...decision, keyDigest };
    },
    knowsSession: (sessionId) => options.sessions.ownerOf(sessionId) !== undefined,
    recordSession: (sessionId, owner, keyDigest) => options.sessions.record(sessionId, owner, keyDigest),
  };
}
