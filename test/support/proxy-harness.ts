// The partytracks proxy wired to a mock SFU, with a per-user cookie jar, and two checks on every response:
// never a redirect, and never the SFU secret.
import assert from 'node:assert/strict';
import { createCallToken, type CreateCallTokenOptions } from '../../server/core/call-token.js';
import { PresenceDirectory } from '../../server/core/presence-directory.js';
import { createLocalProxyRoomState } from '../../server/core/proxy-room-state.js';
import { SessionRegistry } from '../../server/core/session-registry.js';
import { KeyedRateLimiter } from '../../server/core/token-bucket.js';
import { createPartyTracksProxy } from '../../server/http/partytracks-proxy.js';
import { installSfuFetch } from '../../server/node/sfu-fetch.js';
import { startMockSfuUpstream, type MockSfuUpstream } from './mock-sfu-upstream.js';
import { ManualClock } from './presence-fixtures.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from './test-secrets.js';

export interface CallOptions {
  readonly method?: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Caller {
  readonly token: string;
  /** Calls `/partytracks/<path>`; keeps this caller's cookies like a browser would. */
  call(
    path: string,
    options?: CallOptions,
  ): Promise<{ status: number; json: Record<string, unknown>; response: Response }>;
  /** Creates a session through the proxy and returns its id. */
  newSession(): Promise<string>;
}

export interface ProxyHarness {
  readonly upstream: MockSfuUpstream;
  readonly clock: ManualClock;
  readonly sessions: SessionRegistry;
  readonly presence: PresenceDirectory;
  readonly proxy: (request: Request) => Promise<Response>;
  /** A call-server restart with the SFU still up: a new proxy with empty memory, the same secrets. */
  restart(): void;
  /** Session ids the proxy reported as gone (`onSessionGone`). */
  readonly goneSessions: string[];
  caller(claims: Partial<CreateCallTokenOptions> & { userId: string }): Promise<Caller>;
  close(): Promise<void>;
}

export const ORIGIN = 'http://127.0.0.1:8787';

/** Fails the test if a response is a redirect or contains the SFU secret anywhere. */
export async function assertSafeResponse(response: Response): Promise<string> {
  assert.ok(response.status < 300 || response.status >= 400, `got a redirect: ${response.status}`);
  const text = await response.clone().text();
  assert.ok(!text.includes(TEST_SFU_APP_SECRET), 'the SFU secret leaked into a response body');
  for (const [name, value] of response.headers) {
    assert.ok(!value.includes(TEST_SFU_APP_SECRET), `the SFU secret leaked into the ${name} header`);
  }
  return text;
}

export interface ProxyHarnessOptions {
  readonly sessionBurst?: number;
  /** Passed to the proxy (default there: 10 s). */
  readonly upstreamTimeoutMs?: number;
}

export async function startProxyHarness(options: ProxyHarnessOptions = {}): Promise<ProxyHarness> {
  const clock = new ManualClock(Date.now());
  const upstream = await startMockSfuUpstream(TEST_SFU_APP_ID, TEST_SFU_APP_SECRET);
  installSfuFetch(upstream.realtimeApiBaseUrl);
  const goneSessions: string[] = [];
  let sessions: SessionRegistry;
  let presence: PresenceDirectory;
  let proxy: (request: Request) => Promise<Response>;
  const start = () => {
    sessions = new SessionRegistry({ now: clock.now });
    presence = new PresenceDirectory({ now: clock.now, sessions });
    const roomState = createLocalProxyRoomState({
      sessions,
      publications: presence,
      removals: presence,
      sessionLimiter: new KeyedRateLimiter(
        { capacity: options.sessionBurst ?? 20, refillPerSecond: 1 },
        clock.now,
      ),
    });
    proxy = createPartyTracksProxy({
      upstream: {
        appId: TEST_SFU_APP_ID,
        appSecret: TEST_SFU_APP_SECRET,
        realtimeApiBaseUrl: upstream.realtimeApiBaseUrl,
        staticIceServers: [],
      },
      tokenSecret: TEST_TOKEN_SECRET,
      rooms: () => roomState,
      now: clock.now,
      ...(options.upstreamTimeoutMs !== undefined && { upstreamTimeoutMs: options.upstreamTimeoutMs }),
      onSessionGone: (sessionId) => goneSessions.push(sessionId),
    });
  };
  start();

  async function caller(claims: Partial<CreateCallTokenOptions> & { userId: string }): Promise<Caller> {
    const token = await createCallToken({
      secret: TEST_TOKEN_SECRET,
      room: 'A',
      canPublish: true,
      now: clock.now,
      ...claims,
    });
    const cookies = new Map<string, string>();
    const call: Caller['call'] = async (
      path,
      { method = 'GET', body, headers = {}, token: override } = {},
    ) => {
      const cookieHeader = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const request = new Request(`${ORIGIN}/partytracks/${path}`, {
        method,
        headers: {
          ...(override === '' ? {} : { authorization: `Bearer ${override ?? token}` }),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(cookieHeader ? { cookie: cookieHeader } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const response = await proxy(request);
      const text = await assertSafeResponse(response);
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair = ''] = setCookie.split(';');
        const eq = pair.indexOf('=');
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      assert.match(response.headers.get('content-type') ?? '', /application\/json/, `JSON reply to ${path}`);
      return { status: response.status, json: JSON.parse(text) as Record<string, unknown>, response };
    };
    return {
      token,
      call,
      async newSession() {
        const { status, json } = await call('sessions/new', { method: 'POST' });
        assert.equal(status, 201, JSON.stringify(json));
        return json.sessionId as string;
      },
    };
  }

  return {
    upstream,
    clock,
    get sessions() {
      return sessions;
    },
    get presence() {
      return presence;
    },
    get proxy() {
      return proxy;
    },
    restart: start,
    goneSessions,
    caller,
    close: () => upstream.close(),
  };
}
