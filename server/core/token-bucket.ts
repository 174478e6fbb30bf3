// Token-bucket rate limiting with an injected clock: `capacity` requests at once, then `refillPerSecond`.
import type { Clock } from './clock.js';

export interface TokenBucketOptions {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly options: TokenBucketOptions,
    private readonly now: Clock,
  ) {
    this.#tokens = options.capacity;
    this.#updatedAt = now();
  }

  /** Takes one token if there is one; otherwise says how long until the next. */
  take(): TakeResult {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    const missing = 1 - this.#tokens;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / this.options.refillPerSecond)) };
  }

  /** True when the bucket has refilled completely, so forgetting it changes nothing. */
  isFull(): boolean {
    this.#refill();
    return this.#tokens >= this.options.capacity;
  }

  #refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(
      this.options.capacity,
      this.#tokens + elapsedSeconds * this.options.refillPerSecond,
    );
    this.#updatedAt = now;
  }
}

/** New keys between two sweeps of full buckets: often enough to keep the map near its live keys, rarely enough to cost nothing. */
const SWEEP_EVERY_NEW_KEYS = 100;

/**
 * One bucket per key (e.g. per user or session). Full buckets are dropped, every so many new keys and whenever
 * the map reaches `maxKeys`, so it holds about the keys active lately instead of every key ever seen.
 */
export class KeyedRateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  #newKeys = 0;

  constructor(
    private readonly options: TokenBucketOptions,
    private readonly now: Clock,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string): TakeResult {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.maxKeys || ++this.#newKeys % SWEEP_EVERY_NEW_KEYS === 0) this.#prune();
      bucket = new TokenBucket(this.options, this.now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** How many keys have a bucket now. */
  get size(): number {
    return this.#buckets.size;
  }

  #prune(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull()) this.#buckets.delete(key);
    // Still full of active keys: drop the oldest rather than refuse everyone.
    while (this.#buckets.size >= this.maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest === undefined) break;
      this.#buckets.delete(oldest);
    }
  }
}
