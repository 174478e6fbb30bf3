// routePartyTracksRequest calls the global fetch with an init we can't touch. On Node two things must change:
// - undici refuses a ReadableStream body without `duplex: 'half'` (the proxy always forwards a stream);
// - redirects are followed by default, so a 3xx from the SFU would send the request (secret included)
//   wherever it points. Calls to a registered SFU base URL use `redirect: 'manual'`; the proxy then
//   turns the 3xx into a 502.

const sfuBaseUrls = new Set<string>();
let installed = false;

/** Patches the global fetch once per process and registers `realtimeApiBaseUrl` as an SFU upstream. */
export function installSfuFetch(realtimeApiBaseUrl: string): void {
  sfuBaseUrls.add(realtimeApiBaseUrl.replace(/\/+$/, ''));
  if (installed) return;
  installed = true;
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const toSfu = [...sfuBaseUrls].some((base) => url === base || url.startsWith(`${base}/`));
    const streamed = init?.body instanceof ReadableStream;
    if (!toSfu && !streamed) return nodeFetch(input, init);
    return nodeFetch(input, {
      ...init,
      ...(streamed ? { duplex: 'half' } : {}),
      ...(toSfu ? { redirect: 'manual' } : {}),
    } as RequestInit);
  };
}
