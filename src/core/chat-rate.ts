// Rates for chat floods: the sender limits itself, and each receiver drops a sender's excess.

/** A token bucket on the page clock. */
export class RateBucket {
  #tokens: number;
  #at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#at = now();
  }

  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** What one page lets itself send: 5 messages a second, bursts of 10. */
export const SEND_RATE = { perSecond: 5, burst: 10 } as const;
/** What a receiver accepts from one sender before dropping: a little above the send rate. */
export const RECEIVE_RATE = { perSecond: 8, burst: 20 } as const;
