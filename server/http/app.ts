// The call server's HTTP routes as a runtime-neutral Hono app: the demo token endpoint (optional), the
// partytracks proxy, the lobby, and WHIP/WHEP, each with CORS for the allowed origins. Adapters (Node, Workers)
// add static files and the presence socket.
import { Hono, type Context } from 'hono';
import { sameOriginOnly, withCors } from './cors.js';
import { jsonError } from './json-error.js';
import type { WhepHandler } from './whep-route.js';
import type { WhipHandler } from './whip-route.js';

export interface CallServerRoutes {
  /** `/partytracks/*`. */
  readonly proxy: (request: Request) => Promise<Response>;
  /** `/api/call-token`; leave out to switch the demo endpoint off. Rate limited per `clientAddress`. */
  readonly demoTokenEndpoint?: (request: Request, clientAddress?: string) => Promise<Response>;
  /** The caller's network address, as the adapter knows it (Node: the socket's remote address). */
  readonly clientAddress?: (c: Context) => string | undefined;
  /** Default `/partytracks`. */
  readonly proxyPrefix?: string;
  /** `GET /rooms/:room`: who is in the room (the WebSocket upgrade on the same path is the adapter's). */
  readonly lobby?: (request: Request, room: string) => Promise<Response>;
  /**
   * Pages on which origins may call these routes from the browser: the presence socket's allowlist
   * (`ALLOWED_ORIGINS`). Default: the request's own origin only.
   */
  readonly isAllowedOrigin?: (origin: string, request: Request) => boolean;
  /** WHIP ingest: `/whip/:room` and its stream resources (`whip-route.ts`). */
  readonly whip?: WhipHandler;
  /** WHEP playback: `/whep/:room[/:participant]` and its viewer resources (`whep-route.ts`). */
  readonly whep?: WhepHandler;
}

export const DEMO_TOKEN_PATH = '/api/call-token';

export function createCallServerApp(routes: CallServerRoutes): Hono {
  const app = new Hono();
  const prefix = routes.proxyPrefix ?? '/partytracks';
  const isAllowedOrigin = routes.isAllowedOrigin ?? sameOriginOnly;
  const { demoTokenEndpoint } = routes;
  if (demoTokenEndpoint) {
    // The widget sends the page's cookies to a token endpoint (`credentials: 'include'`).
    const handler = withCors(demoTokenEndpoint, { isAllowedOrigin, methods: ['POST'], credentials: true });
    app.all(DEMO_TOKEN_PATH, (c) => handler(c.req.raw, routes.clientAddress?.(c)));
  }
  const proxy = withCors(routes.proxy, { isAllowedOrigin, methods: ['GET', 'POST', 'PUT'] });
  app.all(`${prefix}/*`, (c) => proxy(c.req.raw));
  const { lobby } = routes;
  if (lobby) {
    const getOnly = (request: Request, room: string) =>
      request.method === 'OPTIONS'
        ? Promise.resolve(jsonError(405, 'method_not_allowed', 'use GET', { allow: 'GET' }))
        : lobby(request, room);
    const handler = withCors(getOnly, { isAllowedOrigin, methods: ['GET'] });
    app.on(['GET', 'OPTIONS'], '/rooms/:room', (c) => handler(c.req.raw, c.req.param('room')));
  }
  const streamCors = { isAllowedOrigin, methods: ['POST', 'DELETE', 'PATCH', 'OPTIONS'] };
  if (routes.whip) {
    const whip = withCors(routes.whip, streamCors);
    app.all('/whip/:room', (c) => whip(c.req.raw, c.req.param('room')));
    app.all('/whip/:room/streams/:id', (c) =>
      whip(c.req.raw, c.req.param('room'), { resource: c.req.param('id') }),
    );
  }
  if (routes.whep) {
    const whep = withCors(routes.whep, streamCors);
    app.all('/whep/:room', (c) => whep(c.req.raw, c.req.param('room')));
    app.all('/whep/:room/:participant', (c) =>
      whep(c.req.raw, c.req.param('room'), c.req.param('participant')),
    );
    app.all('/whep/:room/viewers/:id', (c) =>
      whep(c.req.raw, c.req.param('room'), { resource: c.req.param('id') }),
    );
  }
  // Never a stack trace, never an HTML error page.
  app.onError(() => jsonError(500, 'internal_error', 'the call server failed to handle this request'));
  return app;
}

/** JSON 404 for anything no route or static file answered. */
export function notFound(): Response {
  return jsonError(404, 'not_found', 'unknown path');
}
