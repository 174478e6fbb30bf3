// A guard around partytracks' requests to the call server. partytracks calls the global `fetch` and takes no
// fetcher of its own, and a few of its paths go wrong on an error answer: a failed `sessions/new` becomes a
// session called "undefined", a body that isn't JSON (a 431 from Node's parser, a proxy's HTML page) or a
// network failure rejects a promise nobody awaits, and an opaque redirect triggers `alert()` plus a reload.
// So, for URLs under a registered prefix only, the global `fetch` is wrapped: every answer is made JSON, a
// network failure becomes a 503 answer, a failed `sessions/new` rejects (partytracks retries that), requests
// wait out a 429's `Retry-After`, and every outcome is reported to the call. Any other request passes through.
import type { Observable } from 'rxjs';
import { Subject } from 'rxjs';
import { ProxyErrorCode } from '../protocol/proxy-error-codes.js';
import { SESSION_LOCK_HEADER } from '../protocol/session-key.js';

/** What the call server answered one partytracks request. */
export interface ProxyOutcome {
  /** The HTTP status; 503 when the server could not be reached. */
  readonly status: number;
  /** The answer's `errorCode`, or one the guard assigned; undefined on success. */
  readonly errorCode?: string;
  /** The SFU session the request was about (`…/sessions/:id/…`), if any. */
  readonly sessionId?: string;
}

/** Where the SFU put one pulled track: the m-line (`mid`) its media arrives on. */
export interface PulledTrack {
  readonly sessionId: string;
  readonly trackName: string;
  readonly mid: string;
}

/** Requests wait out at most this much of a `Retry-After`; beyond it they go and are refused again. */
export const MAX_RETRY_AFTER_MS = 30_000;
/** The wait after a 429 that names none. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** The `errorCode` the guard gives an answer without one. */
export const NETWORK_ERROR = 'network_error';
const UNEXPECTED_REDIRECT = 'unexpected_redirect';

interface Guard {
  readonly prefix: string;
  readonly outcomes: Subject<ProxyOutcome>;
  readonly pulled: Subject<readonly PulledTrack[]>;
  readonly onSessionLock?: (lock: string) => void;
  /** Until when requests wait, after a 429. */
  holdUntil: number;
  /** partytracks' own requests under way (chat's `datachannels/…` calls are not counted). */
  inFlight: number;
}

const guards = new Set<Guard>();
let original: typeof fetch | undefined;
let installed: typeof fetch | undefined;

export interface PartyTracksRequestGuard {
  /** Every answer to a request under the prefix, in order. */
  readonly outcomes$: Observable<ProxyOutcome>;
  /**
   * The tracks each successful pull (`tracks/new` of remote tracks) placed, with their m-lines: told before
   * partytracks reads the answer, so before its tracks exist on the PeerConnection.
   */
  readonly pulled$: Observable<readonly PulledTrack[]>;
  /**
   * Whether partytracks has a request under way (a push or pull being negotiated with the SFU). Chat waits for
   * a quiet moment before negotiating SCTP on the same PeerConnection.
   */
  busy(): boolean;
  /** Stops guarding the prefix (the global `fetch` is restored once no guard is left). */
  release(): void;
}

/**
 * Guards partytracks' requests to URLs starting with `prefix` (e.g. `https://call.example/partytracks/`).
 * `onSessionLock` gets the lock the call server issues with each new session (`Call-Session-Lock`): sent back,
 * it proves the session is this page's after the server restarted.
 */
export function guardPartyTracksRequests(
  prefix: string,
  onSessionLock?: (lock: string) => void,
): PartyTracksRequestGuard {
  const guard: Guard = {
    prefix,
    outcomes: new Subject(),
    pulled: new Subject(),
    holdUntil: 0,
    inFlight: 0,
    onSessionLock,
  };
  guards.add(guard);
  install();
  return {
    outcomes$: guard.outcomes.asObservable(),
    pulled$: guard.pulled.asObservable(),
    busy: () => guard.inFlight > 0,
    release() {
      if (!guards.delete(guard)) return;
      guard.outcomes.complete();
      guard.pulled.complete();
      if (guards.size === 0) uninstall();
    },
  };
}

function install(): void {
  if (installed) return;
  const base = globalThis.fetch;
  original = base;
  installed = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const guard = [...guards].find((g) => url.startsWith(g.prefix));
    if (!guard) return base(input, init);
    if (url.includes('/datachannels/')) return guardedFetch(base, guard, url, input, init);
    guard.inFlight++;
    return guardedFetch(base, guard, url, input, init).finally(() => guard.inFlight--);
  };
  globalThis.fetch = installed;
}

function uninstall(): void {
  // Only when nobody wrapped fetch after us: restoring would throw their wrapper away.
  if (globalThis.fetch === installed && original) globalThis.fetch = original;
  installed = original = undefined;
}

async function guardedFetch(
  base: typeof fetch,
  guard: Guard,
  url: string,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): Promise<Response> {
  const sessionId = /\/sessions\/([^/?]+)\//.exec(url.slice(guard.prefix.length - 1))?.[1];
  const creatingSession = /\/sessions\/new(\?|$)/.test(url);
  await waitUntil(guard.holdUntil, init?.signal);
  let response: Response;
  try {
    response = await base(input, init);
  } catch (error) {
    if (init?.signal?.aborted) throw error; // the caller's own abort is theirs to handle
    response = jsonAnswer(503, NETWORK_ERROR, `the call server could not be reached (${String(error)})`);
  }
  if (response.type === 'opaqueredirect' || response.status === 0) {
    response = jsonAnswer(502, UNEXPECTED_REDIRECT, 'the call server answered with a redirect');
  }
  if (response.ok) {
    const lock = creatingSession ? response.headers.get(SESSION_LOCK_HEADER) : null;
    if (lock) guard.onSessionLock?.(lock);
    guard.outcomes.next({ status: response.status, sessionId });
    return isPull(url, init) ? tellPulled(guard, response) : response;
  }
  const answer = await errorAnswer(response);
  if (response.status === 429)
    guard.holdUntil = Date.now() + retryAfterMs(response.headers.get('Retry-After'));
  guard.outcomes.next({ status: response.status, errorCode: answer.errorCode, sessionId });
  if (isPull(url, init)) {
    // partytracks drops the pulls of a failed batch (a track that left the room a moment ago, an outage, a
    // refused token) with an unhandled rejection and never tries them again. As an answer without their
    // tracks, each pull fails alone and partytracks retries it with backoff, until it works or presence says
    // the track is gone and the pull is closed. The outcome above already told the call what happened.
    return jsonBody(200, { tracks: [] });
  }
  if (creatingSession) {
    throw new Error(`sessions/new failed: ${answer.errorCode} (${answer.errorDescription})`);
  }
  return jsonAnswer(response.status, answer.errorCode, answer.errorDescription, response.headers);
}

/**
 * Tells `pulled$` where a pull's answer put its tracks, and hands partytracks the same answer read once: its
 * body already parsed, so partytracks' own read of it costs the page no second trip to the network stack.
 */
async function tellPulled(guard: Guard, response: Response): Promise<Response> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return jsonAnswer(503, NETWORK_ERROR, 'the call server’s answer was cut off');
  }
  let body: { tracks?: unknown } | undefined;
  try {
    body = JSON.parse(text) as { tracks?: unknown };
  } catch {
    return new Response(text, { status: response.status, headers: response.headers });
  }
  if (Array.isArray(body?.tracks)) {
    const placed = (body.tracks as Partial<Record<keyof PulledTrack, unknown>>[]).flatMap(
      ({ sessionId, trackName, mid }) =>
        typeof sessionId === 'string' && typeof trackName === 'string' && typeof mid === 'string'
          ? [{ sessionId, trackName, mid }]
          : [],
    );
    if (placed.length > 0) guard.pulled.next(placed);
  }
  return new ParsedResponse(text, body, { status: response.status, headers: response.headers });
}

/**
 * An answer whose body the guard already parsed: `json()` gives it at once, and so does a clone's (partytracks
 * reads a clone for its request history before it reads the answer). Reading even an in-memory body costs a
 * task each time, which a busy page runs late, and partytracks' negotiation waits on both.
 */
class ParsedResponse extends Response {
  readonly #text: string;
  readonly #init: ResponseInit;
  #parsed: { value: unknown } | undefined;

  constructor(text: string, parsed: unknown, init: ResponseInit) {
    super(text, init);
    this.#text = text;
    this.#init = init;
    this.#parsed = { value: parsed };
  }

  override json(): Promise<unknown> {
    const parsed = this.#parsed;
    if (!parsed) return super.json() as Promise<unknown>;
    this.#parsed = undefined;
    return Promise.resolve(parsed.value);
  }

  override clone(): Response {
    // A separate copy of the body, as a clone's own read would give.
    return new ParsedResponse(this.#text, JSON.parse(this.#text) as unknown, this.#init);
  }
}

/** A `tracks/new` that pulls (partytracks sends pushes and pulls in separate batches). */
function isPull(url: string, init: RequestInit | undefined): boolean {
  return /\/tracks\/new(\?|$)/.test(url) && typeof init?.body === 'string' && init.body.includes('"remote"');
}

/** The `{errorCode, errorDescription}` of an error answer, whatever its body was. */
async function errorAnswer(response: Response): Promise<{ errorCode: string; errorDescription: string }> {
  const body = (await response.json().catch(() => undefined)) as
    { errorCode?: unknown; errorDescription?: unknown } | undefined;
  if (typeof body?.errorCode === 'string') {
    return { errorCode: body.errorCode, errorDescription: String(body.errorDescription ?? '') };
  }
  return { errorCode: codeForStatus(response.status), errorDescription: `HTTP ${response.status}` };
}

function codeForStatus(status: number): string {
  switch (status) {
    case 401:
      return ProxyErrorCode.unauthorized;
    case 403:
      return ProxyErrorCode.forbidden;
    case 410:
      return ProxyErrorCode.sessionGone;
    case 413:
      return ProxyErrorCode.payloadTooLarge;
    case 429:
      return ProxyErrorCode.rateLimited;
    case 431:
      return ProxyErrorCode.headersTooLarge;
    case 504:
      return ProxyErrorCode.upstreamTimeout;
    default:
      return status >= 500 ? ProxyErrorCode.upstreamUnavailable : `http_${status}`;
  }
}

/** `Retry-After` in ms: seconds or an HTTP date, bounded by `MAX_RETRY_AFTER_MS`. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? '';
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : DEFAULT_RETRY_AFTER_MS;
}

function jsonAnswer(
  status: number,
  errorCode: string,
  errorDescription: string,
  headers?: Headers,
): Response {
  return jsonBody(status, { errorCode, errorDescription }, headers);
}

function jsonBody(status: number, body: unknown, headers?: Headers): Response {
  const out = new Headers(headers);
  out.set('Content-Type', 'application/json');
  out.delete('Content-Length');
  return new Response(JSON.stringify(body), { status, headers: out });
}

function waitUntil(time: number, signal: AbortSignal | null | undefined): Promise<void> {
  const delay = time - Date.now();
  if (delay <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve(); // an abort lets the request go, and fetch rejects it with the abort
    };
    const timer = setTimeout(done, delay);
    signal?.addEventListener('abort', done);
  });
}
