// Whether the call server keeps answering partytracks' requests, read from their outcomes. partytracks retries
// a failed request on its own, with backoff up to 10 s; this decides what the call does meanwhile: nothing for
// a blip, "reconnecting" for an outage, a fresh token for a refusal, a new SFU session for one the server no
// longer knows, and an error only for an outage that lasts.
import { ProxyErrorCode } from '../protocol/proxy-error-codes.js';
import type { ProxyOutcome } from './partytracks-fetch.js';

/** The call ends when errors keep coming for this long without one good answer. */
export const OUTAGE_LIMIT_MS = 45_000;
/** The call shows "reconnecting" once errors have kept coming for this long. */
export const OUTAGE_NOTICE_MS = 2_000;
/** An outage whose last error is older than this is over: partytracks' retries (10 s apart at most) stopped. */
const QUIET_MS = 12_000;
/** At most one new SFU session per this long, however many requests name the lost one. */
const RESTART_INTERVAL_MS = 5_000;

export interface ProxyHealthEvents {
  /** The token was refused (401/403): refresh it. */
  refused(errorCode: string): void;
  /** The current SFU session is unknown to the call server (410): start a new one. */
  sessionGone(): void;
  /** Errors have kept coming for `OUTAGE_NOTICE_MS`. */
  degraded(): void;
  /** A good answer after `degraded()`. */
  recovered(): void;
  /** Errors kept coming for `OUTAGE_LIMIT_MS`: the last one's code. */
  failed(errorCode: string): void;
}

export interface ProxyHealthOptions {
  /** The SFU session partytracks uses now. */
  readonly currentSessionId: () => string | undefined;
  readonly now?: () => number;
  readonly limits?: { readonly noticeMs?: number; readonly limitMs?: number };
}

export class ProxyHealth {
  #outageStart?: number;
  #lastError?: { at: number; code: string };
  #degraded = false;
  #lastRestart = -Infinity;
  #timer?: ReturnType<typeof setInterval>;
  readonly #now: () => number;

  constructor(
    private readonly events: ProxyHealthEvents,
    private readonly options: ProxyHealthOptions,
  ) {
    this.#now = options.now ?? (() => performance.now());
  }

  observe(outcome: ProxyOutcome): void {
    const { errorCode } = outcome;
    if (errorCode === undefined) return this.#ok();
    // About one pulled track that left the room, not about the call server: partytracks retries that pull.
    if (errorCode === ProxyErrorCode.notInRoom) return;
    const current = this.options.currentSessionId();
    // A request about a session partytracks already replaced says nothing of the call server's health.
    if (outcome.sessionId !== undefined && current !== undefined && outcome.sessionId !== current) return;
    // A refusal of one request the token does not allow (a viewer's chat channel, say) is the call server
    // answering on purpose: no outage. It still gets a fresh token, in case the rights grew.
    if (errorCode === ProxyErrorCode.forbidden) return this.events.refused(errorCode);
    const now = this.#now();
    this.#lastError = { at: now, code: errorCode };
    this.#outageStart ??= now;
    this.#timer ??= setInterval(() => this.check(), 1000);
    if (errorCode === ProxyErrorCode.unauthorized) this.events.refused(errorCode);
    if (
      errorCode === ProxyErrorCode.sessionGone &&
      outcome.sessionId === current &&
      now - this.#lastRestart >= RESTART_INTERVAL_MS
    ) {
      this.#lastRestart = now;
      this.events.sessionGone();
    }
    this.check();
  }

  /** Re-reads the clock: an outage may have crossed a limit, or ended quietly. Runs every second in one. */
  check(): void {
    const start = this.#outageStart;
    const last = this.#lastError;
    if (start === undefined || !last) return;
    const now = this.#now();
    if (now - last.at > QUIET_MS) return this.#ok();
    const lasted = now - start;
    if (lasted >= (this.options.limits?.limitMs ?? OUTAGE_LIMIT_MS)) {
      this.stop();
      this.events.failed(last.code);
      return;
    }
    if (!this.#degraded && lasted >= (this.options.limits?.noticeMs ?? OUTAGE_NOTICE_MS)) {
      this.#degraded = true;
      this.events.degraded();
    }
  }

  /** Stops watching (the call ended). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#outageStart = this.#lastError = undefined;
    this.#degraded = false;
  }

  #ok(): void {
    const wasDegraded = this.#degraded;
    this.stop();
    if (wasDegraded) this.events.recovered();
  }
}
