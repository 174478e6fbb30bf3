// routePartyTracksRequest calls the global fetch with an init we can't touch, and fetch on Workers follows
// redirects. A 3xx from the SFU would send the request, app secret included, wherever it points; calls to the
// SFU therefore use `redirect: 'manual'`, and the proxy turns the 3xx into a 502. The same guard as Node's
// (server/node/sfu-fetch.ts), minus Node's stream fix.

const sfuBaseUrls = new Set<string>();
let installed = false;

/** Wraps the global fetch once per isolate and registers `realtimeApiBaseUrl` as an SFU upstream. */
export function installSfuFetch(realtimeApiBaseUrl: string): void {
  sfuBaseUrls.add(realtimeApiBaseUrl.replace(/\/+$/, ''));
  if (installed) return;
  installed = true;
  const workerFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const toSfu = [...sfuBaseUrls].some((base) => url === base || url.startsWith(`${base}/`));
    return toSfu ? workerFetch(input, { ...init, redirect: 'manual' }) : workerFetch(input, init);
  };
}
