import assert from 'node:assert/strict';
import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import { after, before, describe, it } from 'node:test';
import { createSessionKey } from '../../../src/protocol/session-key.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { claimsFor } from '../../support/presence-fixtures.js';
import {
  ORIGIN,
  assertSafeResponse,
  startProxyHarness,
  type Caller,
  type ProxyHarness,
} from '../../support/proxy-harness.js';
import type { ScriptedResponse } from '../../support/mock-sfu-upstream.js';
import { TEST_SFU_APP_SECRET } from '../../support/test-secrets.js';

const OFFER_SENDONLY = 'v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n';
const ANSWER_RECVONLY = 'v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=recvonly\r\n';

const pull = (sessionId: string, trackName: string) => ({
  tracks: [{ location: 'remote', sessionId, trackName }],
});

describe('partytracks proxy', () => {
  let h: ProxyHarness;
  let alice: Caller; // publisher in room A
  let bob: Caller; // viewer in room A
  let mallory: Caller; // publisher in room B
  let aliceSession: string;
  let bobSession: string;
  let mallorySession: string;

  before(async () => {
    h = await startProxyHarness();
    alice = await h.caller({ userId: 'alice' });
    bob = await h.caller({ userId: 'bob', canPublish: false });
    mallory = await h.caller({ userId: 'mallory', room: 'B' });
    aliceSession = await alice.newSession();
    bobSession = await bob.newSession();
    mallorySession = await mallory.newSession();
    // Alice joins room A's presence and announces her camera.
    const roomA = h.presence.room('A');
    roomA.join('conn-alice', claimsFor('alice'));
    roomA.receive('conn-alice', {
      v,
      type: 'publish',
      track: { sessionId: aliceSession, trackName: 'alice-cam', kind: 'video', source: 'camera' },
    });
  });

  after(() => h.close());

  it('creates sessions with the lock cookie and records who created them', async () => {
    const carol = await h.caller({ userId: 'carol' });
    const { status, json, response } = await carol.call('sessions/new', { method: 'POST' });
    assert.equal(status, 201, 'the SFU’s own status');
    const sessionId = json.sessionId as string;
    assert.match(sessionId, /^[0-9a-f]{32}$/);
    const [cookie, ...others] = response.headers.getSetCookie();
    assert.equal(others.length, 0, 'one cookie: the lock');
    assert.match(cookie ?? '', new RegExp(`^partytracks-session-${sessionId}=[^;]+; `));
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/partytracks', 'Max-Age=86400']) {
      assert.ok(cookie?.split('; ').includes(attribute), `${attribute} in ${cookie}`);
    }
    assert.deepEqual(h.sessions.ownerOf(sessionId), { userId: 'carol', room: 'A', createdAt: h.clock.time });
  });

  it('signs the lock with its own key, not the SFU app secret, and it expires', async () => {
    const carol = await h.caller({ userId: 'carol-2' });
    const { json, response } = await carol.call('sessions/new', { method: 'POST' });
    const sessionId = json.sessionId as string;
    const jwt = /=([^;]+)/.exec(response.headers.getSetCookie()[0] ?? '')?.[1] ?? '';
    await assert.rejects(
      jwtVerify(jwt, new TextEncoder().encode(TEST_SFU_APP_SECRET)),
      'the app secret does not verify it',
    );
    const payload = decodeJwt(jwt);
    assert.equal(payload.sid, sessionId);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 24 * 60 * 60);
    // A lock signed the way partytracks signs (with the app secret, no expiry) is refused.
    const forged = await new SignJWT({ sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_SFU_APP_SECRET));
    const withForged = await carol.call(`sessions/${sessionId}`, {
      headers: { cookie: `partytracks-session-${sessionId}=${forged}` },
    });
    assert.equal(withForged.status, 401);
  });

  it('never passes an upstream Set-Cookie to the browser', async () => {
    h.upstream.scriptNext({
      status: 200,
      body: JSON.stringify({ tracks: [] }),
      headers: { 'content-type': 'application/json', 'set-cookie': 'upstream=1; Path=/' },
    });
    const { status, response } = await alice.call(`sessions/${aliceSession}`);
    assert.equal(status, 200);
    assert.deepEqual(response.headers.getSetCookie(), []);
  });

  it('forwards neither the query string nor any cookie upstream', async () => {
    h.upstream.requests.length = 0;
    const { status } = await alice.call(`sessions/${aliceSession}?debug=1&appId=other`);
    assert.equal(status, 200);
    const [forwarded] = h.upstream.requests;
    assert.equal(forwarded?.path, `/v1/apps/test-app/sessions/${aliceSession}`);
    assert.equal(forwarded?.headers.cookie, undefined);
  });

  it('requires a valid room token on every call, generate-ice-servers included', async () => {
    for (const token of ['', 'garbage', alice.token.slice(0, -2)]) {
      for (const [path, method] of [
        ['sessions/new', 'POST'],
        ['generate-ice-servers', 'GET'],
        [`sessions/${aliceSession}`, 'GET'],
      ] as const) {
        const { status, json } = await alice.call(path, { method, token });
        assert.equal(status, 401, `${path} with token "${token.slice(0, 8)}"`);
        assert.equal(json.errorCode, 'unauthorized');
      }
    }
  });

  it('refuses an expired token on sessions/new with 401 (the widget must fetch a new one)', async () => {
    const local = await startProxyHarness();
    try {
      const hana = await local.caller({ userId: 'hana', ttlSeconds: 30 });
      assert.equal((await hana.call('sessions/new', { method: 'POST' })).status, 201);
      local.clock.advance(30_000 + 61_000);
      const { status, json } = await hana.call('sessions/new', { method: 'POST' });
      assert.equal(status, 401);
      assert.equal(json.errorDescription, 'token has expired');
    } finally {
      await local.close();
    }
  });

  it('answers generate-ice-servers locally with no public STUN', async () => {
    const { status, json } = await bob.call('generate-ice-servers');
    assert.equal(status, 200);
    assert.deepEqual(json, { iceServers: [] });
  });

  it('lets a room member pull a track a current member publishes', async () => {
    const { status, json } = await bob.call(`sessions/${bobSession}/tracks/new`, {
      method: 'POST',
      body: pull(aliceSession, 'alice-cam'),
    });
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal((json.tracks as { trackName: string }[])[0]?.trackName, 'alice-cam');
  });

  it("refuses to pull another room's track with 403", async () => {
    const { status, json } = await mallory.call(`sessions/${mallorySession}/tracks/new`, {
      method: 'POST',
      body: pull(aliceSession, 'alice-cam'),
    });
    assert.equal(status, 403);
    assert.equal(json.errorCode, 'not_in_room');
  });

  it('answers the rest of a batch, with a per-item error for a track not in the room', async () => {
    const { status, json } = await bob.call(`sessions/${bobSession}/tracks/new`, {
      method: 'POST',
      body: {
        tracks: [
          { location: 'remote', sessionId: aliceSession, trackName: 'gone-a-moment-ago' },
          { location: 'remote', sessionId: aliceSession, trackName: 'alice-cam' },
        ],
      },
    });
    assert.equal(status, 200, JSON.stringify(json));
    const tracks = json.tracks as { trackName: string; mid?: string; errorCode?: string }[];
    // The test SFU echoes what reached it: only alice-cam did.
    const served = tracks.filter((t) => !t.errorCode).map((t) => t.trackName);
    const withheld = tracks.find((t) => t.trackName === 'gone-a-moment-ago');
    assert.deepEqual(served, ['alice-cam'], `only alice-cam went to the SFU: ${JSON.stringify(tracks)}`);
    assert.equal(withheld?.errorCode, 'not_in_room', JSON.stringify(tracks));
    assert.equal(withheld?.mid, undefined);
  });

  it('refuses to pull a track nobody announced, or whose publisher left', async () => {
    const unknown = await bob.call(`sessions/${bobSession}/tracks/new`, {
      method: 'POST',
      body: pull(aliceSession, 'guessed-name'),
    });
    assert.equal(unknown.status, 403);

    const dave = await h.caller({ userId: 'dave' });
    const daveSession = await dave.newSession();
    const room = h.presence.room('A');
    room.join('conn-dave', claimsFor('dave'));
    room.receive('conn-dave', {
      v,
      type: 'publish',
      track: { sessionId: daveSession, trackName: 'dave-mic', kind: 'audio', source: 'microphone' },
    });
    const path = `sessions/${bobSession}/tracks/new`;
    assert.equal((await bob.call(path, { method: 'POST', body: pull(daveSession, 'dave-mic') })).status, 200);
    room.disconnect('conn-dave');
    assert.equal((await bob.call(path, { method: 'POST', body: pull(daveSession, 'dave-mic') })).status, 403);
  });

  it('refuses a viewer who tries to publish, in every form, with 403', async () => {
    const path = `sessions/${bobSession}`;
    const attempts: [string, string, unknown][] = [
      [
        'tracks/new',
        'POST',
        {
          sessionDescription: { type: 'offer', sdp: OFFER_SENDONLY },
          tracks: [{ location: 'local', mid: '0', trackName: 'x' }],
        },
      ],
      [
        'tracks/new',
        'POST',
        { autoDiscover: true, sessionDescription: { type: 'offer', sdp: OFFER_SENDONLY } },
      ],
      ['tracks/new', 'POST', { tracks: [{ location: 'local', trackName: 'x', kind: 'video' }] }],
      ['renegotiate', 'PUT', { sessionDescription: { type: 'answer', sdp: OFFER_SENDONLY } }],
      ['tracks/update', 'PUT', { tracks: [{ location: 'local', mid: '0', trackName: 'x' }] }],
      ['datachannels/new', 'POST', { dataChannels: [{ location: 'local', dataChannelName: 'x' }] }],
    ];
    for (const [operation, method, body] of attempts) {
      const { status, json } = await bob.call(`${path}/${operation}`, { method, body });
      assert.equal(status, 403, `${operation} ${JSON.stringify(body).slice(0, 60)}`);
      assert.equal(json.errorCode, 'forbidden');
    }
    const ok = await bob.call(`${path}/renegotiate`, {
      method: 'PUT',
      body: { sessionDescription: { type: 'answer', sdp: ANSWER_RECVONLY } },
    });
    assert.equal(ok.status, 200, 'a receive-only answer is fine');
  });

  it("refuses every call on another user's session with 403, even with that user's cookie", async () => {
    const stolenCookie = `partytracks-session-${aliceSession}=anything`;
    const attempts: [string, string, unknown][] = [
      ['', 'GET', undefined],
      ['/tracks/new', 'POST', pull(aliceSession, 'alice-cam')],
      ['/renegotiate', 'PUT', { sessionDescription: { type: 'answer', sdp: ANSWER_RECVONLY } }],
      ['/tracks/close', 'PUT', { tracks: [{ mid: '0' }], force: true }],
      [
        '/tracks/update',
        'PUT',
        { tracks: [{ location: 'remote', mid: '0', sessionId: aliceSession, trackName: 'alice-cam' }] },
      ],
    ];
    for (const intruder of [bob, mallory]) {
      for (const [operation, method, body] of attempts) {
        const { status, json } = await intruder.call(`sessions/${aliceSession}${operation}`, {
          method,
          body,
          headers: { cookie: stolenCookie },
        });
        assert.equal(status, 403, `${operation || 'GET session'}`);
        assert.equal(json.errorCode, 'forbidden');
      }
    }
  });

  it("keeps partytracks' cookie lock: the owner without the session cookie gets 401 JSON", async () => {
    const { status, json } = await alice.call(`sessions/${aliceSession}`, {
      headers: { cookie: 'unrelated=1' },
    });
    assert.equal(status, 401);
    assert.equal(json.errorCode, 'unauthorized');
  });

  it('unlocks a session with the Call-Session-Key it was created with, when no cookie comes (another origin)', async () => {
    const key = createSessionKey();
    const dana = await h.caller({ userId: 'dana' });
    const created = await dana.call('sessions/new', { method: 'POST', headers: { 'call-session-key': key } });
    assert.equal(created.status, 201);
    const sessionId = created.json.sessionId as string;
    // partytracks' fetch to another origin sends no cookie (and stored none).
    h.upstream.requests.length = 0;
    const withKey = await dana.call(`sessions/${sessionId}`, {
      headers: { cookie: '', 'call-session-key': key },
    });
    assert.equal(withKey.status, 200, JSON.stringify(withKey.json));
    assert.equal(
      h.upstream.requests[0]?.headers['call-session-key'],
      undefined,
      'the key stays with the proxy',
    );
    const otherKey = await dana.call(`sessions/${sessionId}`, {
      headers: { cookie: '', 'call-session-key': createSessionKey() },
    });
    assert.equal(otherKey.status, 401);
    assert.equal(otherKey.json.errorCode, 'unauthorized');
    const neither = await dana.call(`sessions/${sessionId}`, { headers: { cookie: '' } });
    assert.equal(neither.status, 401);
    const anotherUser = await bob.call(`sessions/${sessionId}`, {
      headers: { cookie: '', 'call-session-key': key },
    });
    assert.equal(anotherUser.status, 403, 'the key does not make the session anyone else’s');
  });

  it('refuses a malformed Call-Session-Key with 400, before the SFU', async () => {
    h.upstream.requests.length = 0;
    const { status, json } = await alice.call('sessions/new', {
      method: 'POST',
      headers: { 'call-session-key': 'too-short' },
    });
    assert.equal(status, 400);
    assert.equal(json.errorCode, 'invalid_request');
    assert.equal(h.upstream.requests.length, 0);
  });

  it('forwards only allowlisted headers upstream', async () => {
    h.upstream.requests.length = 0;
    const { status } = await alice.call(`sessions/${aliceSession}/tracks/new`, {
      method: 'POST',
      body: {
        sessionDescription: { type: 'offer', sdp: OFFER_SENDONLY },
        tracks: [{ location: 'local', mid: '0', trackName: 'alice-cam', extra: 'dropped' }],
      },
      headers: {
        cookie: `host_session=s3cr3t; partytracks-session-${aliceSession}=${'x'}`,
        'x-widget-token': 'should-not-travel',
        origin: 'http://evil.test',
        'x-forwarded-for': '1.2.3.4',
      },
    });
    assert.equal(status, 401, 'the forged lock cookie is refused');
    // Now with the real cookie jar (no overrides): inspect exactly what reached the SFU.
    h.upstream.requests.length = 0;
    const real = await alice.call(`sessions/${aliceSession}/tracks/new`, {
      method: 'POST',
      body: {
        sessionDescription: { type: 'offer', sdp: OFFER_SENDONLY },
        tracks: [{ location: 'local', mid: '0', trackName: 'alice-cam', extra: 'dropped' }],
      },
      headers: { 'x-widget-token': 'should-not-travel', origin: 'http://evil.test' },
    });
    assert.equal(real.status, 200);
    const [forwarded] = h.upstream.requests;
    assert.ok(forwarded);
    assert.equal(forwarded.headers.authorization, `Bearer ${TEST_SFU_APP_SECRET}`);
    assert.equal(forwarded.headers['x-widget-token'], undefined);
    assert.equal(forwarded.headers.origin, undefined);
    assert.equal(forwarded.headers.cookie, undefined, 'the lock stays with the proxy');
    assert.ok(!forwarded.body.includes('dropped'), 'unknown body fields are not forwarded');
    assert.equal(forwarded.path, `/v1/apps/test-app/sessions/${aliceSession}/tracks/new`);
  });

  it('refuses bad bodies with 400 or 413 JSON, before anything reaches the SFU', async () => {
    h.upstream.requests.length = 0;
    const path = `sessions/${aliceSession}/tracks/new`;
    const big = 'x'.repeat(1024 * 1024);
    const tooManyTracks = {
      tracks: Array.from({ length: 65 }, (_, i) => ({ location: 'local', trackName: `t${i}` })),
    };
    const cases: [string, CallOptionsLike, number][] = [
      ['1 MiB with Content-Length', { body: JSON.stringify({ pad: big }) }, 413],
      ['Content-Length: abc', { body: '{}', headers: { 'content-length': 'abc' } }, 400],
      ['malformed JSON', { body: '{"tracks": [' }, 400],
      ['wrong types', { body: { tracks: 'all of them' } }, 400],
      ['65 tracks', { body: tooManyTracks }, 400],
      ['SDP not starting with v=0', { body: { sessionDescription: { type: 'offer', sdp: 'hello' } } }, 400],
      [
        'mixed local and remote',
        {
          body: {
            tracks: [
              { location: 'local', trackName: 'a' },
              { location: 'remote', sessionId: aliceSession, trackName: 'alice-cam' },
            ],
          },
        },
        400,
      ],
      ['a JSON array', { body: [{ tracks: [] }] }, 400],
      ['a JSON string', { body: '"tracks"' }, 400],
    ];
    for (const [label, options, expected] of cases) {
      const { status, json } = await alice.call(path, { method: 'POST', ...options });
      assert.equal(status, expected, label);
      assert.equal(typeof json.errorCode, 'string', label);
      assert.equal(typeof json.errorDescription, 'string', label);
    }
    const sessionsNewWithBody = await alice.call('sessions/new', {
      method: 'POST',
      body: { sessionDescription: {} },
    });
    assert.equal(sessionsNewWithBody.status, 400);
    assert.equal(h.upstream.requests.length, 0);
  });

  it('refuses a 1 MiB chunked body without Content-Length with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 16) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request(`${ORIGIN}/partytracks/sessions/${aliceSession}/tracks/new`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(request.headers.get('content-length'), null);
    const response = await h.proxy(request);
    await assertSafeResponse(response);
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { errorCode: string }).errorCode, 'payload_too_large');
    assert.ok(sent < 16, 'stopped reading early');
  });

  it('answers unknown paths with 404 and wrong methods with 405, as JSON', async () => {
    assert.equal((await alice.call('sessions/new/../../admin')).status, 404);
    assert.equal(
      (await alice.call('turn/keys/x/credentials/generate-ice-servers', { method: 'POST' })).status,
      404,
    );
    assert.equal((await alice.call(`sessions/${aliceSession}`, { method: 'DELETE' })).status, 405);
    assert.equal((await alice.call('sessions/new', { method: 'GET' })).status, 405);
  });

  it('never passes on a redirect, non-JSON, or a reply containing the secret', async () => {
    const path = `sessions/${aliceSession}`;
    const scripts: ScriptedResponse[] = [
      { status: 302, body: '', headers: { location: 'https://login.example/' } },
      { status: 200, body: '<html>oops</html>', headers: { 'content-type': 'text/html' } },
      { status: 200, body: JSON.stringify({ echo: `Bearer ${TEST_SFU_APP_SECRET}` }) },
      { status: 500, body: 'Internal Server Error' },
    ];
    for (const script of scripts) {
      h.upstream.scriptNext(script);
      const { status, json } = await alice.call(path); // assertSafeResponse runs inside call()
      assert.equal(status, 502, `upstream ${script.status} ${script.body.slice(0, 20)}`);
      assert.equal(json.errorCode, 'upstream_error');
    }
  });

  it('passes SFU JSON errors through unchanged', async () => {
    h.upstream.scriptNext({
      status: 410,
      body: JSON.stringify({ errorCode: 'session_error', errorDescription: 'gone' }),
      headers: { 'content-type': 'application/json' },
    });
    const { status, json } = await alice.call(`sessions/${aliceSession}`);
    assert.equal(status, 410);
    assert.equal(json.errorCode, 'session_error');
  });

  it('limits sessions/new per user with 429 and Retry-After', async () => {
    const local = await startProxyHarness({ sessionBurst: 5 });
    try {
      const eve = await local.caller({ userId: 'eve' });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 8; i++) {
        const { status, response } = await eve.call('sessions/new', { method: 'POST' });
        statuses.push(status);
        retryAfter ??= response.headers.get('retry-after');
      }
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429, 429, 429]);
      assert.equal(retryAfter, '1');
      const frank = await local.caller({ userId: 'frank' });
      assert.equal(
        (await frank.call('sessions/new', { method: 'POST' })).status,
        201,
        'per user, not global',
      );
      local.clock.advance(1000);
      assert.equal((await eve.call('sessions/new', { method: 'POST' })).status, 201, 'refills');
    } finally {
      await local.close();
    }
  });

  it('answers 502 JSON when the SFU is down', async () => {
    const local = await startProxyHarness();
    const gina = await local.caller({ userId: 'gina' });
    await local.close();
    const { status, json } = await gina.call('sessions/new', { method: 'POST' });
    assert.equal(status, 502);
    assert.equal(json.errorCode, 'upstream_unavailable');
  });
});

type CallOptionsLike = { body?: unknown; headers?: Record<string, string> };
