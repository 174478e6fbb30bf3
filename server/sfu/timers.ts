// Every timer the SFU starts goes through here, so `close()` can clear them all and tests can count them.

export class Timers {
  private readonly active = new Set<ReturnType<typeof setTimeout>>();

  get size(): number {
    return this.active.size;
  }

  timeout(ms: number, fn: () => void): () => void {
    const handle = setTimeout(() => {
      this.active.delete(handle);
      fn();
    }, ms);
    this.active.add(handle);
    return () => this.clear(handle);
  }

  interval(ms: number, fn: () => void): () => void {
    const handle = setInterval(fn, ms);
    this.active.add(handle);
    return () => this.clear(handle);
  }

  /** Resolves after `ms`, or early (with `false`) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const onAbort = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.timeout(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  clearAll(): void {
    for (const handle of this.active) clearTimeout(handle);
    this.active.clear();
  }

  private clear(handle: ReturnType<typeof setTimeout>): void {
    if (this.active.delete(handle)) clearTimeout(handle);
  }
}
