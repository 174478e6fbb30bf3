import { expect } from '@open-wc/testing';
import {
  MAX_RETRY_AFTER_MS,
  NETWORK_ERROR,
  guardPartyTracksRequests,
  retryAfterMs,
  type PartyTracksRequestGuard,
  type ProxyOutcome,
} from '../../../src/core/partytracks-fetch.js';

const PREFIX = 'https://call.test/partytracks/';

describe('guardPartyTracksRequests', () => {
  const realFetch = globalThis.fetch;
  /** What the stubbed network answers next, and every URL it was asked for. */
  let answer: (url: string) => Promise<Response>;
  let asked: string[];
  let guard: PartyTracksRequestGuard | undefined;
  let outcomes: ProxyOutcome[];
  /** The stubbed network, before any guard wrapped it. */
  let network: typeof fetch;

  beforeEach(() => {
    asked = [];
    outcomes = [];
    answer = () => Promise.resolve(Response.json({ ok: true }));
    globalThis.fetch = (input: RequestInfo | URL) => {
      const url = String(input instanceof Request ? input.url : input);
      asked.push(url);
      return answer(url);
    };
    network = globalThis.fetch;
    guard = guardPartyTracksRequests(PREFIX);
    guard.outcomes$.subscribe((o) => outcomes.push(o));
  });

  afterEach(() => {
    guard?.release();
    globalThis.fetch = realFetch;
  });

  it('passes other URLs through untouched', async () => {
    answer = () => Promise.resolve(new Response('<html>', { status: 500 }));
    const response = await fetch('https://site.test/api');
    expect(await response.text()).to.equal('<html>');
    expect(outcomes).to.deep.equal([]);
  });

  it('is busy while a partytracks request is under way, not for chat’s own datachannels calls', async () => {
    answer = () => new Promise((resolve) => setTimeout(() => resolve(Response.json({ ok: true })), 20));
    expect(guard!.busy(), 'idle at first').to.be.false;
    const pull = fetch(`${PREFIX}sessions/s1/tracks/new`, { method: 'POST' });
    expect(guard!.busy(), 'a pull under way').to.be.true;
    await pull;
    expect(guard!.busy(), 'done').to.be.false;
    const chat = fetch(`${PREFIX}sessions/s1/datachannels/new`, { method: 'POST' });
    expect(guard!.busy(), 'chat does not count').to.be.false;
    await chat;
    answer = () => Promise.reject(new TypeError('offline'));
    await fetch(`${PREFIX}sessions/s1/renegotiate`, { method: 'PUT' });
    expect(guard!.busy(), 'a failed request ends too').to.be.false;
  });

  it('reports good answers with the session they were about', async () => {
    const response = await fetch(`${PREFIX}sessions/s1/tracks/new?x=1`, { method: 'POST' });
    expect(await response.json()).to.deep.equal({ ok: true });
    expect(outcomes).to.deep.equal([{ status: 200, sessionId: 's1' }]);
  });

  it('turns a body that is not JSON into a JSON error with a code for its status', async () => {
    answer = () => Promise.resolve(new Response('Request Header Fields Too Large', { status: 431 }));
    const response = await fetch(`${PREFIX}sessions/s1/renegotiate`);
    expect(response.status).to.equal(431);
    expect(await response.json()).to.deep.equal({
      errorCode: 'headers_too_large',
      errorDescription: 'HTTP 431',
    });
    expect(outcomes).to.deep.equal([{ status: 431, errorCode: 'headers_too_large', sessionId: 's1' }]);
  });

  it('keeps the server’s own errorCode', async () => {
    answer = () => Promise.resolve(Response.json({ errorCode: 'session_gone' }, { status: 410 }));
    const response = await fetch(`${PREFIX}sessions/s9/tracks/close`);
    expect((await response.json()).errorCode).to.equal('session_gone');
    expect(outcomes[0]).to.deep.equal({ status: 410, errorCode: 'session_gone', sessionId: 's9' });
  });

  it('answers a failed batch of pulls with no tracks, so each pull retries alone', async () => {
    const pulls = JSON.stringify({ tracks: [{ location: 'remote', sessionId: 'p', trackName: 'cam' }] });
    for (const [status, errorCode] of [
      [403, 'not_in_room'],
      [401, 'unauthorized'],
      [504, 'upstream_timeout'],
      [410, 'session_gone'],
    ] as const) {
      answer = () => Promise.resolve(Response.json({ errorCode, errorDescription: 'no' }, { status }));
      const response = await fetch(`${PREFIX}sessions/s1/tracks/new?x=1`, { method: 'POST', body: pulls });
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ tracks: [] });
      expect(outcomes.at(-1), 'the call still hears the error').to.deep.equal({
        status,
        errorCode,
        sessionId: 's1',
      });
    }
  });

  it('tells where a pull’s tracks were placed before the caller reads the answer, and nothing for pushes', async () => {
    const placed: unknown[] = [];
    guard!.pulled$.subscribe((tracks) => placed.push(tracks));
    const pull = JSON.stringify({ tracks: [{ location: 'remote', sessionId: 'p', trackName: 'cam' }] });
    const tracks = [
      { sessionId: 'p', trackName: 'cam', mid: '4' },
      { sessionId: 'p', trackName: 'mic', errorCode: 'not_found' },
    ];
    answer = () => Promise.resolve(Response.json({ requiresImmediateRenegotiation: true, tracks }));
    const response = await fetch(`${PREFIX}sessions/s1/tracks/new`, { method: 'POST', body: pull });
    expect(placed, 'before the answer is read; only placed tracks').to.deep.equal([
      [{ sessionId: 'p', trackName: 'cam', mid: '4' }],
    ]);
    expect((await response.json()).tracks, 'the caller still gets the whole body').to.deep.equal(tracks);

    const push = JSON.stringify({ tracks: [{ location: 'local', mid: '0', trackName: 'cam' }] });
    answer = () => Promise.resolve(Response.json({ tracks: [{ trackName: 'cam', mid: '0' }] }));
    await fetch(`${PREFIX}sessions/s1/tracks/new`, { method: 'POST', body: push });
    answer = () => Promise.resolve(new Response('not json'));
    await fetch(`${PREFIX}sessions/s1/tracks/new`, { method: 'POST', body: pull });
    expect(placed).to.have.length(1);
  });

  it('hands a pull’s answer on read once, with its status and headers, and a cut-off one as a 503', async () => {
    const pull = JSON.stringify({ tracks: [{ location: 'remote', sessionId: 'p', trackName: 'cam' }] });
    answer = () =>
      Promise.resolve(Response.json({ tracks: [] }, { status: 200, headers: { 'x-answer': 'sfu' } }));
    const response = await fetch(`${PREFIX}sessions/s1/tracks/new`, { method: 'POST', body: pull });
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-answer')).to.equal('sfu');
    const copy = response.clone(); // partytracks reads a clone for its history first
    expect(copy.status).to.equal(200);
    expect(await copy.json()).to.deep.equal({ tracks: [] });
    expect(await response.json()).to.deep.equal({ tracks: [] });

    const cutOff = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"tracks":['));
        controller.error(new Error('connection reset'));
      },
    });
    answer = () => Promise.resolve(new Response(cutOff, { status: 200 }));
    const broken = await fetch(`${PREFIX}sessions/s1/tracks/new`, { method: 'POST', body: pull });
    expect(broken.status).to.equal(503);
    expect((await broken.json()).errorCode).to.equal(NETWORK_ERROR);
  });

  it('passes a failed push on as the error it is (partytracks retries pushes itself)', async () => {
    const push = JSON.stringify({ tracks: [{ location: 'local', mid: '0', trackName: 'cam' }] });
    answer = () => Promise.resolve(Response.json({ errorCode: 'upstream_timeout' }, { status: 504 }));
    const response = await fetch(`${PREFIX}sessions/s1/tracks/new`, { method: 'POST', body: push });
    expect(response.status).to.equal(504);
    expect((await response.json()).errorCode).to.equal('upstream_timeout');
  });

  it('answers a network failure with a 503 instead of rejecting', async () => {
    answer = () => Promise.reject(new TypeError('Failed to fetch'));
    const response = await fetch(`${PREFIX}sessions/s1/tracks/close`);
    expect(response.status).to.equal(503);
    expect((await response.json()).errorCode).to.equal(NETWORK_ERROR);
  });

  it('rejects a failed sessions/new, so partytracks retries it instead of using a session called undefined', async () => {
    answer = () => Promise.resolve(Response.json({ errorCode: 'upstream_timeout' }, { status: 504 }));
    let rejected: unknown;
    await fetch(`${PREFIX}sessions/new?`).catch((error: unknown) => (rejected = error));
    expect(String(rejected)).to.contain('upstream_timeout');
    expect(outcomes).to.deep.equal([{ status: 504, errorCode: 'upstream_timeout', sessionId: undefined }]);
  });

  it('holds requests until a 429’s Retry-After has passed', async () => {
    answer = () =>
      Promise.resolve(
        Response.json({ errorCode: 'rate_limited' }, { status: 429, headers: { 'Retry-After': '1' } }),
      );
    await fetch(`${PREFIX}sessions/s1/tracks/new`);
    answer = () => Promise.resolve(Response.json({ ok: true }));
    const started = performance.now();
    await fetch(`${PREFIX}sessions/s1/tracks/new`);
    expect(performance.now() - started).to.be.within(900, 3000);
    expect(asked).to.have.length(2);
  });

  it('lets an aborted request go at once while it waits', async () => {
    answer = () =>
      Promise.resolve(
        Response.json({ errorCode: 'rate_limited' }, { status: 429, headers: { 'Retry-After': '20' } }),
      );
    await fetch(`${PREFIX}sessions/s1/tracks/new`);
    const controller = new AbortController();
    answer = (url) => Promise.reject(new DOMException(`aborted ${url}`, 'AbortError'));
    const waiting = fetch(`${PREFIX}sessions/s1/tracks/new`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    let rejected: unknown;
    await waiting.catch((error: unknown) => (rejected = error));
    expect((rejected as DOMException).name).to.equal('AbortError');
  });

  it('restores the global fetch once the last guard is released', () => {
    const second = guardPartyTracksRequests('https://other.test/partytracks/');
    guard!.release();
    expect(globalThis.fetch, 'still guarded for the second prefix').to.not.equal(network);
    second.release();
    guard = undefined;
    expect(globalThis.fetch).to.equal(network);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, bounded', () => {
    expect(retryAfterMs('3')).to.equal(3000);
    expect(retryAfterMs('0')).to.equal(0);
    expect(retryAfterMs('99999')).to.equal(MAX_RETRY_AFTER_MS);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).to.equal(5000);
    expect(retryAfterMs('soon')).to.equal(1000);
    expect(retryAfterMs(null)).to.equal(1000);
  });
});
