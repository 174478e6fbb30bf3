import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCallServer, type CallServer } from '../../../server/node/call-server.js';
import { startMockSfuUpstream, type MockSfuUpstream } from '../../support/mock-sfu-upstream.js';
import { assertSafeResponse } from '../../support/proxy-harness.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

describe('Node call server over real HTTP', () => {
  let upstream: MockSfuUpstream;
  let server: CallServer;
  let closedServer: CallServer;
  let roots: string;

  before(async () => {
    roots = await mkdtemp(join(tmpdir(), 'call-server-'));
    await mkdir(join(roots, 'demo'));
    await mkdir(join(roots, 'dist'));
    await writeFile(join(roots, 'demo', 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(roots, 'dist', 'call-elements.js'), 'export {};');
    upstream = await startMockSfuUpstream(TEST_SFU_APP_ID, TEST_SFU_APP_SECRET);
    const common = {
      port: 0,
      tokenSecret: TEST_TOKEN_SECRET,
      upstream: {
        appId: TEST_SFU_APP_ID,
        appSecret: TEST_SFU_APP_SECRET,
        realtimeApiBaseUrl: upstream.realtimeApiBaseUrl,
        staticIceServers: [],
      },
      staticRoots: { demo: join(roots, 'demo'), dist: join(roots, 'dist') },
    };
    server = await startCallServer({ ...common, demoTokenEndpoint: true });
    closedServer = await startCallServer({ ...common, demoTokenEndpoint: false });
  });

  after(async () => {
    await server.close();
    await closedServer.close();
    await upstream.close();
    await rm(roots, { recursive: true, force: true });
  });

  const get = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, { redirect: 'manual', ...init });
    await assertSafeResponse(response);
    return response;
  };

  it('binds 127.0.0.1 and serves demo/ at / and dist/ at /dist/', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const index = await get(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /<title>demo<\/title>/);
    const bundle = await get(`${server.url}/dist/call-elements.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    for (const path of ['/nope.html', '/dist/../package.json', '/%2e%2e/package.json']) {
      const response = await get(`${server.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal(((await response.json()) as { errorCode: string }).errorCode, 'not_found');
    }
  });

  it('runs the whole flow over real HTTP: demo token → sessions/new → push', async () => {
    const tokenResponse = await get(`${server.url}/api/call-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ room: 'standup', name: 'Ada' }),
    });
    assert.equal(tokenResponse.status, 200);
    const { token } = (await tokenResponse.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };

    const created = await get(`${server.url}/partytracks/sessions/new`, { method: 'POST', headers: auth });
    assert.equal(created.status, 201);
    const { sessionId } = (await created.json()) as { sessionId: string };
    const cookie = created.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    assert.match(cookie, /^partytracks-session-/);

    const offer = 'v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n';
    const pushed = await get(`${server.url}/partytracks/sessions/${sessionId}/tracks/new`, {
      method: 'POST',
      headers: { ...auth, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionDescription: { type: 'offer', sdp: offer },
        tracks: [{ location: 'local', mid: '0', trackName: 'cam' }],
      }),
    });
    assert.equal(pushed.status, 200, await pushed.clone().text());
    assert.equal(((await pushed.json()) as { tracks: { trackName: string }[] }).tracks[0]?.trackName, 'cam');

    const ice = await get(`${server.url}/partytracks/generate-ice-servers`, { headers: auth });
    assert.deepEqual(await ice.json(), { iceServers: [] });
  });

  it('switches the demo token endpoint off by configuration', async () => {
    const response = await get(`${closedServer.url}/api/call-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ room: 'standup' }),
    });
    assert.equal(response.status, 404);
  });

  it('checks the token before reading a body, then caps the body at 413', async () => {
    const big = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024),
    };
    const path = `${server.url}/partytracks/sessions/abc/tracks/new`;
    const anonymous = await get(path, { ...big, headers: { ...big.headers, authorization: 'Bearer x' } });
    assert.equal(anonymous.status, 401);
    const tokenResponse = await get(`${server.url}/api/call-token`, { method: 'POST', body: '{"room":"r"}' });
    const { token } = (await tokenResponse.json()) as { token: string };
    const oversized = await get(path, {
      ...big,
      headers: { ...big.headers, authorization: `Bearer ${token}` },
    });
    assert.equal(oversized.status, 413);
    assert.equal(((await oversized.json()) as { errorCode: string }).errorCode, 'payload_too_large');
  });
});
