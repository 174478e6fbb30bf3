import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCallServerApp } from '../../../server/http/app.js';
import { withCors } from '../../../server/http/cors.js';

const SERVER = 'http://127.0.0.1:8787';
const SITE = 'https://site.example';
const EVIL = 'https://evil.example';

function appWith(isAllowedOrigin?: (origin: string) => boolean) {
  const calls: string[] = [];
  const answer = (what: string) => async (request: Request) => {
    calls.push(`${what} ${request.method}`);
    return Response.json({ what }, { headers: { 'cache-control': 'no-store' } });
  };
  const app = createCallServerApp({
    proxy: answer('proxy'),
    demoTokenEndpoint: answer('token'),
    lobby: async (request, room) => answer(`lobby ${room}`)(request),
    ...(isAllowedOrigin && { isAllowedOrigin }),
  });
  app.get('/static.js', () => new Response('// static'));
  const fetch = (path: string, init: RequestInit = {}) => app.fetch(new Request(`${SERVER}${path}`, init));
  return { fetch, calls };
}

const preflight = (origin: string, method = 'POST', headers = 'authorization') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
});

describe('CORS on the call server’s fetch routes', () => {
  const allowed = (origin: string) => origin === SITE;

  it('answers a preflight from an allowed origin with 204, without authentication or the route', async () => {
    const { fetch, calls } = appWith(allowed);
    const response = await fetch('/partytracks/sessions/new', preflight(SITE));
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), SITE);
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST, PUT');
    assert.equal(
      response.headers.get('access-control-allow-headers'),
      'authorization, content-type, call-session-key, call-session-lock',
    );
    assert.equal(response.headers.get('access-control-max-age'), '7200');
    assert.equal(response.headers.get('access-control-allow-credentials'), null, 'partytracks sends none');
    assert.deepEqual(calls, []);
  });

  it('gives an allowed origin its own origin back on the answer (never *), with Vary: Origin', async () => {
    const { fetch } = appWith(allowed);
    const response = await fetch('/partytracks/sessions/new', {
      method: 'POST',
      headers: { origin: SITE, authorization: 'Bearer x' },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { what: 'proxy' });
    assert.equal(response.headers.get('access-control-allow-origin'), SITE);
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('cache-control'), 'no-store', 'the route’s own headers stay');
  });

  it('refuses any other origin with 403 JSON and no CORS headers, preflight or not, before the route', async () => {
    const { fetch, calls } = appWith(allowed);
    for (const [path, init] of [
      ['/partytracks/sessions/new', preflight(EVIL)],
      ['/partytracks/sessions/new', { method: 'POST', headers: { origin: EVIL } }],
      ['/rooms/standup', preflight(EVIL, 'GET')],
      ['/rooms/standup', { headers: { origin: EVIL } }],
      ['/api/call-token', { method: 'POST', headers: { origin: 'null' } }],
    ] as const) {
      const response = await fetch(path, init);
      assert.equal(response.status, 403, `${init.method ?? 'GET'} ${path}`);
      assert.equal((await response.json()).errorCode, 'origin_not_allowed');
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(response.headers.get('vary'), 'Origin');
    }
    assert.deepEqual(calls, []);
  });

  it('leaves requests without an Origin (servers, same-origin GETs) to the route, marked Vary: Origin', async () => {
    const { fetch, calls } = appWith(allowed);
    const response = await fetch('/rooms/standup');
    assert.deepEqual(await response.json(), { what: 'lobby standup' });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.deepEqual(calls, ['lobby standup GET']);
  });

  it('the lobby: GET only, and an OPTIONS that is no preflight is a 405', async () => {
    const { fetch } = appWith(allowed);
    const pre = await fetch('/rooms/standup', preflight(SITE, 'GET'));
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-methods'), 'GET');
    const get = await fetch('/rooms/standup', { headers: { origin: SITE, authorization: 'Bearer x' } });
    assert.equal(get.headers.get('access-control-allow-origin'), SITE);
    const options = await fetch('/rooms/standup', { method: 'OPTIONS' });
    assert.equal(options.status, 405);
  });

  it('the demo token endpoint allows credentials: the widget sends the page’s cookies there', async () => {
    const { fetch } = appWith(allowed);
    const pre = await fetch('/api/call-token', preflight(SITE, 'POST', 'content-type'));
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
    const post = await fetch('/api/call-token', { method: 'POST', headers: { origin: SITE } });
    assert.equal(post.headers.get('access-control-allow-origin'), SITE);
    assert.equal(post.headers.get('access-control-allow-credentials'), 'true');
  });

  it('without an allowlist, only the server’s own origin', async () => {
    const { fetch } = appWith();
    const own = await fetch('/partytracks/sessions/new', { method: 'POST', headers: { origin: SERVER } });
    assert.equal(own.status, 200);
    assert.equal(own.headers.get('access-control-allow-origin'), SERVER);
    const other = await fetch('/partytracks/sessions/new', { method: 'POST', headers: { origin: SITE } });
    assert.equal(other.status, 403);
  });

  it('leaves static files and unknown paths alone', async () => {
    const { fetch } = appWith(allowed);
    const response = await fetch('/static.js', { headers: { origin: EVIL } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  it('adds Origin to a Vary the route already set, once', async () => {
    const handler = withCors(async () => new Response('x', { headers: { vary: 'Accept-Encoding' } }), {
      isAllowedOrigin: () => true,
      methods: ['GET'],
    });
    const request = () => new Request(`${SERVER}/x`, { headers: { origin: SITE } });
    assert.equal((await handler(request())).headers.get('vary'), 'Accept-Encoding, Origin');
    const already = withCors(async () => new Response('x', { headers: { vary: 'origin' } }), {
      isAllowedOrigin: () => true,
      methods: ['GET'],
    });
    assert.equal((await already(request())).headers.get('vary'), 'origin');
  });

  it('decorates a response made here in place (its body stays whole), and copies one with fixed headers', async () => {
    const options = { isAllowedOrigin: () => true, methods: ['GET'] };
    const request = () => new Request(`${SERVER}/x`, { headers: { origin: SITE } });
    const made = new Response('{"tracks":[]}', { headers: { 'content-type': 'application/json' } });
    const decorated = await withCors(async () => made, options)(request());
    assert.equal(decorated, made, 'the same response: no copy, so no streamed body');
    assert.equal(decorated.headers.get('vary'), 'Origin');
    assert.equal(decorated.headers.get('access-control-allow-origin'), SITE);

    const fixed = Response.redirect(`${SERVER}/elsewhere`, 302); // immutable headers, as from fetch
    const copied = await withCors(async () => fixed, options)(request());
    assert.notEqual(copied, fixed);
    assert.equal(copied.status, 302);
    assert.equal(copied.headers.get('location'), `${SERVER}/elsewhere`);
    assert.equal(copied.headers.get('vary'), 'Origin');
    assert.equal(copied.headers.get('access-control-allow-origin'), SITE);
  });
});
