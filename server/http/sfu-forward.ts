// One proxied SFU call: the page's path under the proxy prefix, sent to the SFU's API for this app with the app
// secret and the validated body. The body goes as a string, not the stream partytracks' server helper forwards:
// the SFU then gets headers and body in one write, and Node's fetch needs no streamed upload for it.
import type { SfuUpstream } from './sfu-upstream.js';

export function forwardToSfu(
  upstream: SfuUpstream,
  prefix: string,
  request: Request,
  payload: string | undefined,
): Promise<Response> {
  const { pathname } = new URL(request.url);
  const headers = new Headers({ authorization: `Bearer ${upstream.appSecret}` });
  if (payload !== undefined) headers.set('content-type', 'application/json');
  const base = upstream.realtimeApiBaseUrl.replace(/\/+$/, '');
  const url = `${base}/apps/${upstream.appId}${pathname.slice(prefix.length)}`;
  return fetch(url, { method: request.method, headers, body: payload });
}
