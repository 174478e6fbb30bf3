// One authorization suite for the SFU proxy of every runtime (Node, and the Worker whose room objects answer
// over RPC): real HTTP to the call server, a mock SFU on 127.0.0.1, presence over a real WebSocket to announce
// the track. The same assertions for both: another room's track 403, a viewer's push 403, another user's
// session 403, 413, 429, and never a 3xx, not even when the SFU answers with one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSessionKey, SESSION_KEY_HEADER } from '../../src/protocol/session-key.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';
import { startMockSfuUpstream, type MockSfuUpstream } from '../support/mock-sfu-upstream.js';
import { testToken } from '../support/presence-fixtures.js';
import { PresenceTestClient } from '../support/presence-test-client.js';
import { REFUSED_UPLOAD_HEADERS } from '../support/refused-upload.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET } from '../support/test-secrets.js';

/** A running call server whose proxy forwards to `realtimeApiBaseUrl`. */
export interface ProxyServer {
  /** Base URL; the proxy is at `/partytracks/*`, presence at `/rooms/:room`. */
  readonly url: string;
  close(): Promise<void>;
}

interface Caller {
  call(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Readonly<Record<string, string>> },
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
  newSession(): Promise<string>;
}

const OFFER_SENDONLY = 'v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n';

export function proxyConformance(
  runtime: string,
  start: (upstream: { realtimeApiBaseUrl: string }) => Promise<ProxyServer>,
): void {
  describe(`SFU proxy authorization: ${runtime}`, () => {
    let upstream: MockSfuUpstream;
    let server: ProxyServer;
    const sockets: PresenceTestClient[] = [];
    const statuses: number[] = [];

    const caller = async (userId: string, room: string, canPublish = true): Promise<Caller> => {
      const token = await testToken(room, userId, Date.now, { canPublish });
      const sessionKey = createSessionKey();
      const call: Caller['call'] = async (path, { method = 'GET', body, headers = {} } = {}) => {
        const response = await fetch(`${server.url}/partytracks/${path}`, {
          method,
          redirect: 'manual',
          headers: {
            authorization: `Bearer ${token}`,
            [SESSION_KEY_HEADER]: sessionKey,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
        statuses.push(response.status);
        const text = await response.text();
        assert.ok(!text.includes(TEST_SFU_APP_SECRET), 'the SFU secret never reaches the browser');
        return {
          status: response.status,
          json: JSON.parse(text) as Record<string, unknown>,
          headers: response.headers,
        };
      };
      return {
        call,
        async newSession() {
          const { status, json } = await call('sessions/new', { method: 'POST' });
          assert.equal(status, 201, JSON.stringify(json));
          return json.sessionId as string;
        },
      };
    };

    let alice: Caller; // publishes in room A
    let aliceSession: string;

    before(async () => {
      upstream = await startMockSfuUpstream(TEST_SFU_APP_ID, TEST_SFU_APP_SECRET);
      server = await start({ realtimeApiBaseUrl: upstream.realtimeApiBaseUrl });
      alice = await caller('alice', 'A');
      aliceSession = await alice.newSession();
      // Alice announces her camera in room A's presence, as the widget does after pushing it.
      const presence = await PresenceTestClient.join(
        server.url,
        'A',
        server.url,
        await testToken('A', 'alice', Date.now),
      );
      sockets.push(presence);
      presence.send({
        v,
        type: 'publish',
        track: { sessionId: aliceSession, trackName: 'alice-cam', kind: 'video', source: 'camera' },
      });
      await presence.next('track-published');
    });

    after(async () => {
      for (const socket of sockets) socket.ws.terminate();
      await server?.close();
      await upstream?.close();
    });

    const pull = (sessionId: string, trackName: string) => ({
      tracks: [{ location: 'remote', sessionId, trackName }],
    });

    it('lets a member of the room pull a published track (the control case)', async () => {
      const bob = await caller('bob', 'A', false);
      const session = await bob.newSession();
      const { status } = await bob.call(`sessions/${session}/tracks/new`, {
        method: 'POST',
        body: pull(aliceSession, 'alice-cam'),
      });
      assert.equal(status, 200);
    });

    it("refuses another room's track with 403", async () => {
      const mallory = await caller('mallory', 'B');
      const session = await mallory.newSession();
      const { status, json } = await mallory.call(`sessions/${session}/tracks/new`, {
        method: 'POST',
        body: pull(aliceSession, 'alice-cam'),
      });
      assert.equal(status, 403);
      assert.equal(json.errorCode, 'not_in_room');
    });

    it("refuses a viewer's push with 403", async () => {
      const viewer = await caller('viewer', 'A', false);
      const session = await viewer.newSession();
      const { status } = await viewer.call(`sessions/${session}/tracks/new`, {
        method: 'POST',
        body: {
          sessionDescription: { type: 'offer', sdp: OFFER_SENDONLY },
          tracks: [{ location: 'local', mid: '0', trackName: 'sneaky' }],
        },
      });
      assert.equal(status, 403);
    });

    it("refuses another user's session with 403", async () => {
      const eve = await caller('eve', 'A');
      const { status, json } = await eve.call(`sessions/${aliceSession}/tracks/new`, {
        method: 'POST',
        body: pull(aliceSession, 'alice-cam'),
      });
      assert.equal(status, 403);
      assert.equal(json.errorCode, 'forbidden');
    });

    it('refuses a body over the cap with 413', async () => {
      const { status } = await alice.call(`sessions/${aliceSession}/renegotiate`, {
        method: 'PUT',
        body: JSON.stringify({ sessionDescription: { type: 'answer', sdp: 'x'.repeat(200 * 1024) } }),
        headers: REFUSED_UPLOAD_HEADERS,
      });
      assert.equal(status, 413);
    });

    it('limits sessions/new per user with 429 and Retry-After', async () => {
      const carol = await caller('carol', 'A');
      const results: number[] = [];
      for (let i = 0; i < 20; i++)
        results.push((await carol.call('sessions/new', { method: 'POST' })).status);
      assert.deepEqual(results, Array(20).fill(201), 'a burst of 20');
      // The bucket refills one a second, so on a busy machine a call or two more may still pass.
      let limited = await carol.call('sessions/new', { method: 'POST' });
      for (let i = 0; i < 10 && limited.status === 201; i++) {
        limited = await carol.call('sessions/new', { method: 'POST' });
      }
      assert.equal(limited.status, 429);
      assert.equal(limited.json.errorCode, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
    });

    it('never answers 3xx, not even when the SFU redirects', async () => {
      const before = upstream.requests.length;
      upstream.scriptNext({
        status: 302,
        body: '',
        headers: { location: `${upstream.realtimeApiBaseUrl}/elsewhere` },
      });
      const dave = await caller('dave', 'A');
      const { status, json } = await dave.call('sessions/new', { method: 'POST' });
      assert.equal(status, 502);
      assert.equal(json.errorCode, 'upstream_error');
      assert.equal(upstream.requests.length, before + 1, 'the redirect was not followed');
      assert.ok(statuses.length > 25);
      assert.ok(
        statuses.every((s) => s < 300 || s >= 400),
        `no 3xx in ${statuses.join(',')}`,
      );
    });
  });
}
