// Server-side calls to the SFU API with the app secret, for the routes that speak to the SFU themselves
// (WHIP and WHEP) rather than forwarding a browser's call like the partytracks proxy. Same upstream, same rules:
// JSON only, redirects never followed, the secret never echoed.
import type { SfuUpstream } from './sfu-upstream.js';

export interface SfuReply {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/** One SFU API call, e.g. `sfu('POST', '/sessions/new')`. Rejects when the SFU can't be reached or answers garbage. */
export type SfuClient = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => Promise<SfuReply>;

export class SfuUnavailableError extends Error {
  constructor(reason: string) {
    super(`the SFU could not be used: ${reason}`);
    this.name = 'SfuUnavailableError';
  }
}

export function createSfuClient(upstream: SfuUpstream, fetchImpl: typeof fetch = fetch): SfuClient {
  const base = `${upstream.realtimeApiBaseUrl.replace(/\/+$/, '')}/apps/${encodeURIComponent(upstream.appId)}`;
  return async (method, path, body) => {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${upstream.appSecret}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new SfuUnavailableError('unreachable');
    }
    if (response.status === 0 || (response.status >= 300 && response.status < 400)) {
      throw new SfuUnavailableError('it answered with a redirect');
    }
    const text = await response.text();
    try {
      const json = JSON.parse(text) as unknown;
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object');
      return { status: response.status, json: json as Record<string, unknown> };
    } catch {
      throw new SfuUnavailableError('it answered with something other than a JSON object');
    }
  };
}
