// The proxy (and partytracks' TURN helper) call the global fetch. On Node three things must change:
// - undici refuses a ReadableStream body without `duplex: 'half'` (partytracks' TURN helper may forward one);
// - redirects are followed by default, so a 3xx from the SFU would send the request (secret included)
//   wherever it points. Calls to a registered SFU base URL use `redirect: 'manual'`; the proxy then
//   turns the 3xx into a 502;
// - a call to an SFU that never answers would hold its socket for minutes. The proxy answers the browser at
//   its own deadline (`upstream-deadline.ts`); this abort frees the connection too, a little later.

const sfuBaseUrls = new Map<string, number>();
let installed = false;

/** Slack after the proxy's own deadline, so the proxy, not this abort, decides what the browser sees. */
const ABORT_SLACK_MS = 1_000;

export interface SfuFetchOptions {
  /** Abort calls to this SFU after this long (plus a second). Default 10 s, the proxy's default deadline. */
  readonly timeoutMs?: number;
}

/** Patches the global fetch once per process and registers `realtimeApiBaseUrl` as an SFU upstream. */
export function installSfuFetch(realtimeApiBaseUrl: string, options: SfuFetchOptions = {}): void {
  sfuBaseUrls.set(realtimeApiBaseUrl.replace(/\/+$/, ''), (options.timeoutMs ?? 10_000) + ABORT_SLACK_MS);
  if (installed) return;
  installed = true;
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const abortAfterMs = [...sfuBaseUrls].find(([base]) => url === base || url.startsWith(`${base}/`))?.[1];
    const toSfu = abortAfterMs !== undefined;
    const streamed = init?.body instanceof ReadableStream;
    if (!toSfu && !streamed) return nodeFetch(input, init);
    return nodeFetch(input, {
      ...init,
      ...(streamed ? { duplex: 'half' } : {}),
      ...(toSfu ? { redirect: 'manual', signal: init?.signal ?? AbortSignal.timeout(abortAfterMs) } : {}),
    } as RequestInit);
  };
}
