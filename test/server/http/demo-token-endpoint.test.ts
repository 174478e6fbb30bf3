import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyCallToken } from '../../../server/core/call-token.js';
import { createDemoTokenEndpoint } from '../../../server/http/demo-token-endpoint.js';
import { TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

const endpoint = createDemoTokenEndpoint({ tokenSecret: TEST_TOKEN_SECRET, now: Date.now });
const post = (body: string, method = 'POST') =>
  endpoint(
    new Request('http://127.0.0.1/api/call-token', { method, body: method === 'GET' ? undefined : body }),
  );

describe('demo token endpoint', () => {
  it('grants a publish+subscribe token for the requested room to a fresh guest', async () => {
    const response = await post(JSON.stringify({ room: 'standup', name: 'Ada' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const reply = (await response.json()) as { token: string; serverUrl?: string };
    assert.equal(reply.serverUrl, undefined, 'serverUrl defaults to the endpoint origin');
    const claims = await verifyCallToken(reply.token, { secret: TEST_TOKEN_SECRET, room: 'standup' });
    assert.equal(claims.name, 'Ada');
    assert.equal(claims.canPublish, true);
    assert.equal(claims.canModerate, false);
    assert.match(claims.userId, /^guest-/);

    const again = (await (await post(JSON.stringify({ room: 'standup' }))).json()) as { token: string };
    const other = await verifyCallToken(again.token, { secret: TEST_TOKEN_SECRET });
    assert.notEqual(other.userId, claims.userId, 'each request is a new participant');
    assert.match(other.name, /^Guest /);
  });

  it('keeps the user of a refresh that names the valid token it renews, and only then', async () => {
    const tokenOf = async (body: object) =>
      ((await (await post(JSON.stringify(body))).json()) as { token: string }).token;
    const userOf = async (token: string) =>
      (await verifyCallToken(token, { secret: TEST_TOKEN_SECRET })).userId;
    const first = await tokenOf({ room: 'standup', name: 'Ada' });
    const renewed = await tokenOf({ room: 'standup', name: 'Ada', previous: first });
    assert.equal(await userOf(renewed), await userOf(first), 'a refresh stays the same guest');
    const otherRoom = await tokenOf({ room: 'retro', previous: first });
    assert.notEqual(await userOf(otherRoom), await userOf(first), 'a token of another room names nobody');
    const forged = `${first.slice(0, -4)}AAAA`;
    const fromForged = await tokenOf({ room: 'standup', previous: forged });
    assert.notEqual(await userOf(fromForged), await userOf(first), 'a forged token names nobody');
  });

  it('grants the role a broadcast page asks for: host (publish, moderate) or viewer (neither)', async () => {
    const claimsOf = async (url: string, body: object) => {
      // From this machine: only a caller on it gets host rights (demo-token-endpoint-host.test.ts).
      const request = new Request(url, { method: 'POST', body: JSON.stringify(body) });
      const response = await endpoint(request, '127.0.0.1');
      assert.equal(response.status, 200);
      const { token } = (await response.json()) as { token: string };
      return verifyCallToken(token, { secret: TEST_TOKEN_SECRET, room: 'show' });
    };
    const viewer = await claimsOf('http://127.0.0.1/api/call-token?role=viewer', { room: 'show' });
    assert.deepEqual([viewer.canPublish, viewer.canModerate, viewer.canSubscribe], [false, false, true]);
    const host = await claimsOf('http://127.0.0.1/api/call-token', { room: 'show', role: 'host' });
    assert.deepEqual([host.canPublish, host.canModerate], [true, true]);
    const refused = await endpoint(
      new Request('http://127.0.0.1/api/call-token?role=owner', { method: 'POST', body: '{"room":"show"}' }),
    );
    assert.equal(refused.status, 400);
  });

  it('hands out the fixed ICE servers and the server URL it was given with the token', async () => {
    const iceServers = [{ urls: 'stun:127.0.0.1:3478' }];
    const withExtras = createDemoTokenEndpoint({
      tokenSecret: TEST_TOKEN_SECRET,
      now: Date.now,
      serverUrl: 'http://127.0.0.1:9999',
      iceServers,
    });
    const response = await withExtras(
      new Request('http://127.0.0.1/api/call-token', { method: 'POST', body: '{"room":"r"}' }),
    );
    const reply = (await response.json()) as { token: string; serverUrl?: string; iceServers?: unknown };
    assert.equal(reply.serverUrl, 'http://127.0.0.1:9999');
    assert.deepEqual(reply.iceServers, iceServers);
    assert.equal(typeof reply.token, 'string');
  });

  it('refuses bad requests with 400/405 JSON', async () => {
    for (const [body, method, status] of [
      ['{', 'POST', 400],
      ['{"room":""}', 'POST', 400],
      [JSON.stringify({ room: 'r'.repeat(300) }), 'POST', 400],
      [JSON.stringify({ room: 'a', name: 'n'.repeat(300) }), 'POST', 400],
      ['', 'GET', 405],
      ['x'.repeat(10_000), 'POST', 413],
    ] as const) {
      const response = await post(body, method);
      assert.equal(response.status, status, `${method} ${body.slice(0, 20)}`);
      assert.equal(typeof ((await response.json()) as { errorCode: unknown }).errorCode, 'string');
    }
  });
});
