import { expect } from '@open-wc/testing';
import { LobbyPeek, fetchLobby } from '../../../src/core/lobby.js';
import type { TokenLease } from '../../../src/core/token-lease.js';
import type { CallToken } from '../../../src/core/token-client.js';
import type { RoomLobby } from '../../../src/protocol/index.js';

/** One request to the fake call server, answered when the test says so. */
interface LobbyRequest {
  readonly url: string;
  readonly init?: RequestInit;
  readonly signal?: AbortSignal | null;
  answer(status: number, body: unknown): void;
  fail(error: unknown): void;
}

/** A stand-in for the token lease: `ensure()` answers when the test says so, counting its calls. */
class FakeLease {
  calls = 0;
  #pending: { resolve: (token: CallToken) => void; reject: (error: unknown) => void }[] = [];

  ensure(): Promise<CallToken> {
    this.calls++;
    return new Promise<CallToken>((resolve, reject) => this.#pending.push({ resolve, reject }));
  }

  give(token: CallToken = { token: 'tok', serverUrl: 'https://calls.example' }): void {
    this.#pending.shift()?.resolve(token);
  }

  refuse(error: unknown): void {
    this.#pending.shift()?.reject(error);
  }
}

const lobby: RoomLobby = {
  participants: [
    { id: 'ada', name: 'Ada' },
    { id: 'bob', name: 'Bob' },
  ],
};

/** Lets awaited promises and fetch callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('fetchLobby', () => {
  const realFetch = window.fetch;
  let requests: LobbyRequest[] = [];

  beforeEach(() => {
    requests = [];
    window.fetch = (input, init) =>
      new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        requests.push({
          url: String(input),
          init,
          signal: init?.signal,
          answer: (status, body) =>
            resolve(new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })),
          fail: reject,
        });
      });
  });

  afterEach(() => {
    window.fetch = realFetch;
  });

  it('GETs the room with the bearer token and answers the parsed lobby', async () => {
    const fetching = fetchLobby('https://calls.example', 'team/stand up#1', 'secret');
    expect(requests).to.have.length(1);
    const [request] = requests;
    expect(request.url).to.equal('https://calls.example/rooms/team%2Fstand%20up%231');
    expect(request.init?.method ?? 'GET').to.equal('GET');
    const headers = new Headers(request.init?.headers);
    expect(headers.get('Authorization')).to.equal('Bearer secret');
    expect(headers.get('Accept')).to.equal('application/json');
    request.answer(200, { ...lobby, extra: 'ignored' });
    expect(await fetching).to.deep.equal(lobby);
  });

  it('passes the abort signal on', async () => {
    const abort = new AbortController();
    const fetching = fetchLobby('https://calls.example', 'r', 't', abort.signal);
    expect(requests[0].signal).to.equal(abort.signal);
    abort.abort();
    expect(await fetching, 'an aborted look is no lobby').to.equal(undefined);
  });

  it('answers undefined for a non-2xx answer', async () => {
    for (const status of [401, 403, 404, 500]) {
      const fetching = fetchLobby('https://calls.example', 'r', 't');
      requests.at(-1)!.answer(status, lobby);
      expect(await fetching, `status ${status}`).to.equal(undefined);
    }
  });

  it('answers undefined for a network error', async () => {
    const fetching = fetchLobby('https://calls.example', 'r', 't');
    requests[0].fail(new TypeError('Failed to fetch'));
    expect(await fetching).to.equal(undefined);
  });

  it('answers undefined for a body that is not JSON or fails the schema', async () => {
    const bodies: unknown[] = [
      'not json',
      {},
      { participants: 'ada' },
      { participants: [{ id: 'ada' }] },
      { participants: [{ id: 1, name: 'Ada' }] },
      { participants: [{ id: 'ada', name: 'x'.repeat(10_000) }] },
    ];
    for (const body of bodies) {
      const fetching = fetchLobby('https://calls.example', 'r', 't');
      requests.at(-1)!.answer(200, body);
      expect(await fetching, JSON.stringify(body).slice(0, 60)).to.equal(undefined);
    }
  });

  it('accepts an empty room', async () => {
    const fetching = fetchLobby('https://calls.example', 'r', 't');
    requests[0].answer(200, { participants: [] });
    expect(await fetching).to.deep.equal({ participants: [] });
  });
});

describe('LobbyPeek', () => {
  const realFetch = window.fetch;
  const realSetTimeout = window.setTimeout;
  const realClearTimeout = window.clearTimeout;
  let requests: LobbyRequest[] = [];
  let errors: unknown[] = [];
  let lease: FakeLease;
  let peek: LobbyPeek;
  let seen: (RoomLobby | undefined)[] = [];
  let unsubscribe: () => void;
  /** The refresh timers LobbyPeek set (its only 4000 ms timeouts), held instead of run. */
  let refreshes: { id: number; run: () => void; cleared: boolean }[] = [];

  beforeEach(() => {
    requests = [];
    errors = [];
    refreshes = [];
    lease = new FakeLease();
    peek = new LobbyPeek();
    seen = [];
    const subscription = peek.lobby$.subscribe((l) => seen.push(l));
    unsubscribe = () => subscription.unsubscribe();
    window.fetch = (input, init) =>
      new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        requests.push({
          url: String(input),
          init,
          signal: init?.signal,
          answer: (status, body) => resolve(new Response(JSON.stringify(body), { status })),
          fail: reject,
        });
      });
    let nextId = 1_000_000;
    window.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
      if (ms !== 4000) return realSetTimeout(handler, ms, ...args);
      const refresh = { id: nextId++, run: handler as () => void, cleared: false };
      refreshes.push(refresh);
      return refresh.id;
    }) as typeof window.setTimeout;
    window.clearTimeout = ((id?: number) => {
      const refresh = refreshes.find((r) => r.id === id);
      if (refresh) refresh.cleared = true;
      else realClearTimeout(id);
    }) as typeof window.clearTimeout;
  });

  afterEach(() => {
    peek.stop();
    unsubscribe();
    window.fetch = realFetch;
    window.setTimeout = realSetTimeout;
    window.clearTimeout = realClearTimeout;
  });

  const start = () => peek.start(lease as unknown as TokenLease, 'standup', (error) => errors.push(error));

  it('starts with no lobby', () => {
    expect(seen).to.deep.equal([undefined]);
  });

  it('gets the token from lease.ensure(), then emits the room’s lobby', async () => {
    start();
    expect(lease.calls).to.equal(1);
    expect(requests, 'nothing fetched before the token').to.have.length(0);
    lease.give({ token: 'room-token', serverUrl: 'https://calls.example' });
    await settle();
    expect(requests).to.have.length(1);
    expect(requests[0].url).to.equal('https://calls.example/rooms/standup');
    expect(new Headers(requests[0].init?.headers).get('Authorization')).to.equal('Bearer room-token');
    requests[0].answer(200, lobby);
    await settle();
    expect(seen).to.deep.equal([undefined, lobby]);
    expect(errors).to.deep.equal([]);
  });

  it('emits undefined when the server can’t say', async () => {
    start();
    lease.give();
    await settle();
    requests[0].answer(404, {});
    await settle();
    expect(seen).to.deep.equal([undefined, undefined]);
    expect(errors, 'no error for a lobby the server does not give').to.deep.equal([]);
  });

  it('reports a token error through onError and emits nothing', async () => {
    start();
    const refusal = new Error('token refused');
    lease.refuse(refusal);
    await settle();
    expect(errors).to.deep.equal([refusal]);
    expect(requests).to.have.length(0);
    expect(seen).to.deep.equal([undefined]);
  });

  it('does nothing on a second start', async () => {
    start();
    start();
    expect(lease.calls).to.equal(1);
    lease.give();
    await settle();
    expect(requests).to.have.length(1);
    requests[0].answer(200, lobby);
    await settle();
    start();
    expect(lease.calls, 'still started').to.equal(1);
    expect(seen).to.deep.equal([undefined, lobby]);
  });

  it('stop() before the token means nothing is fetched, emitted or reported', async () => {
    start();
    peek.stop();
    lease.refuse(new Error('late refusal'));
    await settle();
    expect(requests).to.have.length(0);
    expect(errors).to.deep.equal([]);
    expect(seen).to.deep.equal([undefined]);
  });

  it('stop() before the answer aborts the fetch and emits nothing', async () => {
    start();
    lease.give();
    await settle();
    expect(requests[0].signal?.aborted).to.equal(false);
    peek.stop();
    expect(requests[0].signal?.aborted).to.equal(true);
    await settle();
    expect(seen).to.deep.equal([undefined]);
    expect(errors).to.deep.equal([]);
    expect(refreshes, 'no refresh scheduled').to.have.length(0);
  });

  it('stop() before the answer, then start(), takes only the new answer', async () => {
    start();
    lease.give();
    await settle();
    peek.stop();
    start();
    expect(lease.calls, 'a fresh start').to.equal(2);
    lease.give();
    await settle();
    expect(requests).to.have.length(2);
    requests[1].answer(200, lobby);
    await settle();
    expect(seen).to.deep.equal([undefined, lobby]);
  });

  it('looks again after a while, until stopped', async () => {
    start();
    lease.give();
    await settle();
    requests[0].answer(200, { participants: [] });
    await settle();
    expect(refreshes).to.have.length(1);
    refreshes[0].run();
    expect(lease.calls, 'the refresh asks the lease again (it keeps the token)').to.equal(2);
    lease.give();
    await settle();
    expect(requests).to.have.length(2);
    requests[1].answer(200, lobby);
    await settle();
    expect(seen).to.deep.equal([undefined, { participants: [] }, lobby]);
    expect(refreshes).to.have.length(2);
    peek.stop();
    expect(refreshes[1].cleared, 'stop() clears the pending refresh').to.equal(true);
  });

  it('a refresh whose token fails is not reported', async () => {
    start();
    lease.give();
    await settle();
    requests[0].answer(200, lobby);
    await settle();
    refreshes[0].run();
    lease.refuse(new Error('refresh failed'));
    await settle();
    expect(errors, 'only the first look reports').to.deep.equal([]);
    expect(seen).to.deep.equal([undefined, lobby]);
  });

  it('stop() keeps what was seen; clear() resets it to undefined', async () => {
    start();
    lease.give();
    await settle();
    requests[0].answer(200, lobby);
    await settle();
    peek.stop();
    expect(seen.at(-1)).to.deep.equal(lobby);
    peek.clear();
    expect(seen).to.deep.equal([undefined, lobby, undefined]);
    expect(refreshes[0].cleared).to.equal(true);
  });

  it('clear() before the answer stops the look', async () => {
    start();
    lease.give();
    await settle();
    peek.clear();
    expect(requests[0].signal?.aborted).to.equal(true);
    await settle();
    expect(seen).to.deep.equal([undefined, undefined]);
  });
});
