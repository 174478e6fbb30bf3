// The room token of one call: fetched on join, refreshed before it expires, and fetched once more when the
// call server refuses it. A refusal after that fresh token means the user really may not be here.
import { SESSION_KEY_HEADER, createSessionKey } from '../protocol/session-key.js';
import { fetchCallToken, fetchIceServers, type CallToken } from './token-client.js';

/** Refresh the room token this long before it expires. */
const REFRESH_LEAD_MS = 60_000;
/** Never refresh sooner than this, even for a token about to expire. */
const MIN_REFRESH_DELAY_MS = 5_000;
/** setTimeout's longest delay; a longer one fires at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** Refusals this soon after the fresh token arrived may be calls that left with the old one. */
const REFUSAL_GRACE_MS = 500;
/** A refusal's refresh re-arms this long after it settled, once a request succeeded. */
const REARM_AFTER_MS = 5_000;

export interface TokenLeaseOptions {
  readonly tokenEndpoint: string;
  readonly room: string;
  /** The name to ask for, until `acquire()` or `ensure()` name another. */
  readonly displayName?: string;
  /** A refresh that failed (the call goes on with the token it has until that is refused). */
  readonly onRefreshError: (error: unknown) => void;
}

export class TokenLease {
  /**
   * `Authorization: Bearer <token>`, kept current, and this session's `Call-Session-Key`, which locks the SFU
   * sessions it creates to it: partytracks sends these headers with every request.
   */
  readonly headers = new Headers({ [SESSION_KEY_HEADER]: createSessionKey() });
  readonly #options: TokenLeaseOptions;
  #token?: CallToken;
  #name?: string;
  #timer?: ReturnType<typeof setTimeout>;
  #abort = new AbortController();
  /** The one refresh a refusal earns; a refusal after it has settled is final. */
  #refusalRefresh?: { readonly done: Promise<boolean>; settledAt?: number };
  readonly #listeners = new Set<(token: CallToken) => void>();
  /** The acquire() under way, and the name it asks for. */
  #pending?: { readonly name: string | undefined; readonly done: Promise<CallToken> };

  constructor(options: TokenLeaseOptions) {
    this.#options = options;
    this.#name = options.displayName;
  }

  /** The current token, once acquired. */
  get token(): CallToken | undefined {
    return this.#token;
  }

  /**
   * Fetches a first token (throws its `CallError`) and starts the refresh timer. With `sameUser`, the request
   * names the token held, as a refresh does: an endpoint that honours it keeps the user and changes the name.
   */
  acquire(displayName = this.#name, sameUser = false): Promise<CallToken> {
    const pending = this.#acquireNow(displayName, sameUser ? this.#token : undefined);
    this.#pending = { name: displayName, done: pending };
    const clear = () => {
      if (this.#pending?.done === pending) this.#pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }

  async #acquireNow(displayName: string | undefined, renaming?: CallToken): Promise<CallToken> {
    this.stop();
    this.#abort = new AbortController();
    this.#refusalRefresh = undefined;
    this.#name = displayName;
    const token = this.#take(await this.#fetch(renaming));
    if (token.iceServers) return token;
    // Fetched here, with the token's headers, so a pre-join screen's ensure() gets them before the Join click.
    const iceServers = await fetchIceServers(token.serverUrl, this.headers, this.#abort.signal);
    return iceServers ? (this.#token = { ...token, iceServers }) : token;
  }

  /**
   * The token held, when it was asked for under this name and lives for another minute at least (a pre-join
   * screen fetched it); otherwise `acquire()`. Saves the join a request.
   */
  async ensure(displayName = this.#name): Promise<CallToken> {
    const held = this.held(displayName);
    if (held) return held;
    // Two callers at once (the lobby and the preview) share one fetch rather than aborting each other's.
    if (this.#pending && this.#pending.name === displayName) return this.#pending.done;
    return this.acquire(displayName);
  }

  /** The token held for this name, when it lives for another minute at least; else undefined. Synchronous. */
  held(displayName = this.#name): CallToken | undefined {
    const token = this.#token;
    const fresh = token && (token.expiresAt ?? Infinity) - Date.now() > REFRESH_LEAD_MS;
    if (!fresh || displayName !== this.#name || this.#abort.signal.aborted) return undefined;
    this.#refusalRefresh = undefined;
    return token;
  }

  /**
   * After the call server refused the token: the first refusal fetches one fresh token, refusals during that
   * fetch wait for it, and a refusal after it (with a short grace for calls already in flight with the old
   * token) answers false: the fresh token was refused too.
   */
  refreshAfterRefusal(): Promise<boolean> {
    const attempt = this.#refusalRefresh;
    if (!attempt) {
      const entry: { done: Promise<boolean>; settledAt?: number } = { done: this.#refresh() };
      this.#refusalRefresh = entry;
      void entry.done.then(() => (entry.settledAt = performance.now()));
      return entry.done;
    }
    if (attempt.settledAt === undefined || performance.now() - attempt.settledAt < REFUSAL_GRACE_MS) {
      return attempt.done;
    }
    return Promise.resolve(false);
  }

  /**
   * After a good answer with the token: a refusal later on earns a fresh token again, once the last refusal's
   * refresh settled a while ago (so refusals still in flight with an old token don't count twice).
   */
  rearm(): void {
    const settledAt = this.#refusalRefresh?.settledAt;
    if (settledAt !== undefined && performance.now() - settledAt > REARM_AFTER_MS)
      this.#refusalRefresh = undefined;
  }

  /** Calls `listener` with every token taken after this (refreshes included); returns the unsubscribe. */
  onToken(listener: (token: CallToken) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops refreshing and abandons a fetch under way. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#abort.abort();
  }

  /** With `renewing`, the request names the token it replaces: the call goes on as the same user. */
  #fetch(renewing?: CallToken): Promise<CallToken> {
    const { tokenEndpoint, room } = this.#options;
    const request = { room, name: this.#name, ...(renewing && { previous: renewing.token }) };
    return fetchCallToken(tokenEndpoint, request, this.#abort.signal);
  }

  async #refresh(): Promise<boolean> {
    const { signal } = this.#abort; // acquire() may replace the controller while this fetch runs
    try {
      const token = await this.#fetch(this.#token);
      if (signal.aborted) return false;
      this.#take(token);
      return true;
    } catch (error) {
      if (!signal.aborted) this.#options.onRefreshError(error);
      return false;
    }
  }

  #take(fetched: CallToken): CallToken {
    // A refreshed token without ICE servers keeps those of the one it replaces.
    const iceServers = fetched.iceServers ?? this.#token?.iceServers;
    const token = iceServers ? { ...fetched, iceServers } : fetched;
    this.#token = token;
    this.headers.set('Authorization', `Bearer ${token.token}`);
    for (const listener of this.#listeners) listener(token);
    clearTimeout(this.#timer);
    if (token.expiresAt) {
      const delay = Math.min(
        MAX_TIMER_DELAY_MS,
        Math.max(MIN_REFRESH_DELAY_MS, token.expiresAt - Date.now() - REFRESH_LEAD_MS),
      );
      this.#timer = setTimeout(() => void this.#refresh(), delay);
    }
    return token;
  }
}
