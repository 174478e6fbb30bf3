import { expect } from '@open-wc/testing';
import { fetchCallToken, fetchIceServers, tokenHints } from '../../../src/core/token-client.js';
import { CallError } from '../../../src/core/call-error.js';

const jwt = (payload: object) => `h.${btoa(JSON.stringify(payload)).replace(/=+$/, '')}.s`;

describe('fetchCallToken', () => {
  const realFetch = window.fetch;
  let requests: { url: string; init?: RequestInit }[] = [];
  const answer = (status: number, body: unknown) => {
    window.fetch = async (url, init) => {
      requests.push({ url: String(url), init });
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
    };
  };
  beforeEach(() => (requests = []));
  afterEach(() => (window.fetch = realFetch));

  it('posts { room, name } with credentials and defaults serverUrl to the endpoint origin', async () => {
    const token = jwt({ exp: 2_000_000_000, canPublish: true });
    answer(200, { token });
    const result = await fetchCallToken('/api/call-token', { room: 'standup', name: 'Ada' });
    expect(requests[0].init?.method).to.equal('POST');
    expect(requests[0].init?.credentials).to.equal('include');
    expect(JSON.parse(String(requests[0].init?.body))).to.deep.equal({ room: 'standup', name: 'Ada' });
    expect(result).to.deep.equal({
      token,
      serverUrl: location.origin,
      expiresAt: 2_000_000_000_000,
      canPublish: true,
    });
  });

  it('uses the serverUrl the endpoint names', async () => {
    answer(200, { token: 'a.b.c', serverUrl: 'https://calls.example.com/ignored/path' });
    expect((await fetchCallToken('/t', { room: 'r' })).serverUrl).to.equal('https://calls.example.com');
  });

  it('passes on well-formed iceServers and ignores malformed ones', async () => {
    const iceServers = [
      { urls: ['stun:127.0.0.1:3478'] },
      { urls: 'turn:127.0.0.1', username: 'u', credential: 'c' },
    ];
    answer(200, { token: 'a.b.c', iceServers });
    expect((await fetchCallToken('/t', { room: 'r' })).iceServers).to.deep.equal(iceServers);
    for (const bad of [
      'stun:x',
      [{ url: 'stun:x' }],
      [{ urls: 1 }],
      [null],
      [{ urls: 'stun:x', username: 2 }],
    ]) {
      answer(200, { token: 'a.b.c', iceServers: bad });
      expect((await fetchCallToken('/t', { room: 'r' })).iceServers, JSON.stringify(bad)).to.equal(undefined);
    }
    answer(200, { token: 'a.b.c', iceServers: [] });
    expect((await fetchCallToken('/t', { room: 'r' })).iceServers).to.deep.equal([]);
  });

  for (const [status, code] of [
    [401, 'token-failed'],
    [403, 'forbidden'],
    [429, 'rate-limited'],
    [500, 'token-failed'],
  ] as const) {
    it(`turns ${status} into ${code}`, async () => {
      answer(status, { errorCode: 'x', errorDescription: 'y' });
      const error = await fetchCallToken('/t', { room: 'r' }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CallError);
      expect((error as CallError).code).to.equal(code);
    });
  }

  it('rejects a reply without a token', async () => {
    answer(200, '<html>login</html>');
    const error = (await fetchCallToken('/t', { room: 'r' }).catch((e: unknown) => e)) as CallError;
    expect(error.code).to.equal('token-failed');
  });

  it('reads exp and canPublish without verifying, and survives garbage', () => {
    expect(tokenHints(jwt({ exp: 10, canPublish: false }))).to.deep.equal({
      expiresAt: 10_000,
      canPublish: false,
    });
    expect(tokenHints(jwt({ canPublish: false, canChat: true })), 'a viewer who may chat').to.deep.equal({
      canPublish: false,
      canChat: true,
    });
    expect(tokenHints(jwt({ canPublish: 'yes' })), 'only a boolean counts').to.deep.equal({});
    expect(tokenHints('not a jwt')).to.deep.equal({});
  });

  it('passes an abort on as the AbortError, not as a token failure', async () => {
    window.fetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    const controller = new AbortController();
    const fetching = fetchCallToken('/t', { room: 'r' }, controller.signal).catch((e: unknown) => e);
    controller.abort();
    expect(((await fetching) as Error).name).to.equal('AbortError');
  });
});

describe('fetchIceServers', () => {
  const realFetch = window.fetch;
  afterEach(() => (window.fetch = realFetch));

  it('asks generate-ice-servers with the headers it is given, and answers well-formed servers only', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    window.fetch = async (url, init) => {
      seen.push({ url: String(url), auth: new Headers(init?.headers).get('authorization') });
      return Response.json({
        iceServers: [{ urls: 'turn:turn.example:3478', username: 'u', credential: 'c' }],
      });
    };
    const headers = new Headers({ Authorization: 'Bearer t' });
    const servers = await fetchIceServers('https://calls.example', headers);
    expect(seen).to.deep.equal([
      { url: 'https://calls.example/partytracks/generate-ice-servers', auth: 'Bearer t' },
    ]);
    expect(servers).to.deep.equal([{ urls: 'turn:turn.example:3478', username: 'u', credential: 'c' }]);
    window.fetch = async () => Response.json({ iceServers: 'nope' });
    expect(await fetchIceServers('https://calls.example', headers)).to.equal(undefined);
    window.fetch = async () => new Response('no', { status: 401 });
    expect(await fetchIceServers('https://calls.example', headers)).to.equal(undefined);
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await fetchIceServers('https://calls.example', headers)).to.equal(undefined);
  });
});
