// Which SFU operation a `/partytracks/*` request is, from its path and method. Anything else is refused.
export type ProxyRoute =
  | { readonly kind: 'generate-ice-servers' }
  | { readonly kind: 'new-session' }
  | { readonly kind: 'session-state'; readonly sessionId: string }
  | { readonly kind: 'tracks-new'; readonly sessionId: string }
  | { readonly kind: 'renegotiate'; readonly sessionId: string }
  | { readonly kind: 'tracks-update'; readonly sessionId: string }
  | { readonly kind: 'tracks-close'; readonly sessionId: string }
  | {
      readonly kind: 'datachannels';
      readonly sessionId: string;
      readonly operation: DataChannelOperation;
    };

export type DataChannelOperation = 'establish' | 'new' | 'update' | 'close';

export type ProxyRouteKind = ProxyRoute['kind'];

export type RouteMatch =
  | { readonly ok: true; readonly route: ProxyRoute }
  | { readonly ok: false; readonly status: 404 | 405; readonly allowed?: string };

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

const sessionOperations: Record<
  string,
  { kind: Exclude<ProxyRouteKind, 'generate-ice-servers' | 'new-session'>; method: string }
> = {
  '': { kind: 'session-state', method: 'GET' },
  'tracks/new': { kind: 'tracks-new', method: 'POST' },
  renegotiate: { kind: 'renegotiate', method: 'PUT' },
  'tracks/update': { kind: 'tracks-update', method: 'PUT' },
  'tracks/close': { kind: 'tracks-close', method: 'PUT' },
  'datachannels/new': { kind: 'datachannels', method: 'POST' },
  'datachannels/establish': { kind: 'datachannels', method: 'POST' },
  'datachannels/update': { kind: 'datachannels', method: 'PUT' },
  'datachannels/close': { kind: 'datachannels', method: 'PUT' },
};

/** Matches `subpath` (the path after the proxy prefix, without a leading slash). */
export function matchProxyRoute(method: string, subpath: string): RouteMatch {
  const check = (route: ProxyRoute, expected: string): RouteMatch =>
    method === expected ? { ok: true, route } : { ok: false, status: 405, allowed: expected };

  if (subpath === 'generate-ice-servers') return check({ kind: 'generate-ice-servers' }, 'GET');
  if (subpath === 'sessions/new') return check({ kind: 'new-session' }, 'POST');

  const match = /^sessions\/([^/]+)(?:\/(.*))?$/.exec(subpath);
  if (!match) return { ok: false, status: 404 };
  const [, sessionId = '', operation = ''] = match;
  const known = sessionOperations[operation];
  if (!known || !SESSION_ID.test(sessionId)) return { ok: false, status: 404 };
  if (known.kind === 'datachannels') {
    const dataChannelOperation = operation.slice('datachannels/'.length) as DataChannelOperation;
    return check({ kind: known.kind, sessionId, operation: dataChannelOperation }, known.method);
  }
  return check({ kind: known.kind, sessionId }, known.method);
}
