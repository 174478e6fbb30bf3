// The call server's HTTP routes as a runtime-neutral Hono app: the demo token endpoint (optional) and the
// partytracks proxy. Adapters (Node now, Workers later) add static files and the presence socket.
import { Hono } from 'hono';
import { jsonError } from './json-error.js';

export interface CallServerRoutes {
  /** `/partytracks/*`. */
  readonly proxy: (request: Request) => Promise<Response>;
  /** `/api/call-token`; leave out to switch the demo endpoint off. */
  readonly demoTokenEndpoint?: (request: Request) => Promise<Response>;
  /** Default `/partytracks`. */
  readonly proxyPrefix?: string;
  /** `GET /rooms/:room`: who is in the room (the WebSocket upgrade on the same path is the adapter's). */
  readonly lobby?: (request: Request, room: string) => Promise<Response>;
}

export const DEMO_TOKEN_PATH = '/api/call-token';

export function createCallServerApp(routes: CallServerRoutes): Hono {
  const app = new Hono();
  const prefix = routes.proxyPrefix ?? '/partytracks';
  const { demoTokenEndpoint } = routes;
  if (demoTokenEndpoint) app.all(DEMO_TOKEN_PATH, (c) => demoTokenEndpoint(c.req.raw));
  app.all(`${prefix}/*`, (c) => routes.proxy(c.req.raw));
  const { lobby } = routes;
  if (lobby) app.get('/rooms/:room', (c) => lobby(c.req.raw, c.req.param('room')));
  // Never a stack trace, never an HTML error page.
  app.onError(() => jsonError(500, 'internal_error', 'the call server failed to handle this request'));
  return app;
}

/** JSON 404 for anything no route or static file answered. */
export function notFound(): Response {
  return jsonError(404, 'not_found', 'unknown path');
}
