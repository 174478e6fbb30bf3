// A deadline for one SFU call, answer body included: an SFU that accepts the connection and then says nothing
// must not hold the browser's request for minutes. Runtime-neutral (a timer and a race); the adapter's fetch
// should also give up on the connection itself (Node: `installSfuFetch`).

/** Default time an SFU call may take, from sending the request to the last byte of the answer. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;

/** Thrown by `withDeadline` when the work did not settle in time. */
export class UpstreamTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the SFU did not answer within ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

/** Settles like `work`, or rejects with `UpstreamTimeoutError` after `timeoutMs`, whichever comes first. */
export function withDeadline<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work(), deadline]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}
