// The room token of one call: fetched on join, refreshed before it expires, and fetched once more when the
// call server refuses it. A refusal after that fresh token means the user really may not be here.
import { fetchCallToken, type CallToken } from './token-client.js';

/** Refresh the room token this long before it expires. */
const REFRESH_LEAD_MS = 60_000;
/** Never refresh sooner than this, even for a token about to expire. */
const MIN_REFRESH_DELAY_MS = 5_000;
/** setTimeout's longest delay; a longer one fires at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** Refusals this soon after the fresh token arrived may be calls that left with the old one. */
const REFUSAL_GRACE_MS = 500;

export interface TokenLeaseOptions {
  readonly tokenEndpoint: string;
  readonly room: string;
  readonly displayName?: string;
  /** A refresh that failed (the call goes on with the token it has until that is refused). */
  readonly onRefreshError: (error: unknown) => void;
}

export class TokenLease {
  /** `Authorization: Bearer <token>`, kept current: partytracks reads these headers on every request. */
  readonly headers = new Headers();
  readonly #options: TokenLeaseOptions;
  #token?: CallToken;
  #timer?: ReturnType<typeof setTimeout>;
  #abort = new AbortController();
  /** The one refresh a refusal earns; a refusal after it has settled is final. */
  #refusalRefresh?: { readonly done: Promise<boolean>; settledAt?: number };

  constructor(options: TokenLeaseOptions) {
    this.#options = options;
  }

  /** The current token, once acquired. */
  get token(): CallToken | undefined {
    return this.#token;
  }

  /** Fetches the first token (throws its `CallError`) and starts the refresh timer. */
  async acquire(): Promise<CallToken> {
    this.stop();
    this.#abort = new AbortController();
    this.#refusalRefresh = undefined;
    return this.#take(await this.#fetch());
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

  /** Stops refreshing and abandons a fetch under way. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#abort.abort();
  }

  #fetch(): Promise<CallToken> {
    const { tokenEndpoint, room, displayName } = this.#options;
    return fetchCallToken(tokenEndpoint, { room, name: displayName }, this.#abort.signal);
  }

  async #refresh(): Promise<boolean> {
    const { signal } = this.#abort; // acquire() may replace the controller while this fetch runs
    try {
      const token = await this.#fetch();
      if (signal.aborted) return false;
      this.#take(token);
      return true;
    } catch (error) {
      if (!signal.aborted) this.#options.onRefreshError(error);
      return false;
    }
  }

  #take(token: CallToken): CallToken {
    this.#token = token;
    this.headers.set('Authorization', `Bearer ${token.token}`);
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
