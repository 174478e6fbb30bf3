import { expect } from '@open-wc/testing';
import { CallError } from '../../../src/core/call-error.js';
import { TokenLease } from '../../../src/core/token-lease.js';

/** One request to the fake token endpoint, answered when the test says so. */
interface TokenRequest {
  readonly body: unknown;
  readonly signal?: AbortSignal | null;
  answer(status: number, body: unknown): void;
}

describe('TokenLease', () => {
  const realFetch = window.fetch;
  let requests: TokenRequest[] = [];
  let errors: unknown[] = [];
  /** Added to `performance.now()`, to step past the refusal grace without waiting. */
  let skewMs = 0;

  beforeEach(() => {
    requests = [];
    errors = [];
    skewMs = 0;
    window.fetch = (_url, init) =>
      new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        requests.push({
          body: JSON.parse(String(init?.body)),
          signal: init?.signal,
          answer: (status, body) => resolve(new Response(JSON.stringify(body), { status })),
        });
      });
    const realNow = Performance.prototype.now;
    performance.now = function (this: Performance) {
      return realNow.call(this) + skewMs;
    };
  });

  afterEach(() => {
    window.fetch = realFetch;
    Reflect.deleteProperty(performance, 'now');
  });

  const lease = () =>
    new TokenLease({
      tokenEndpoint: '/api/call-token',
      room: 'standup',
      displayName: 'Ada',
      onRefreshError: (error) => errors.push(error),
    });

  /** A lease holding the token `first` (tokens without `exp`: no refresh timer). */
  async function acquired(): Promise<TokenLease> {
    const l = lease();
    const acquiring = l.acquire();
    requests[0].answer(200, { token: 'first' });
    await acquiring;
    return l;
  }

  it('acquire() fetches the token for the room and sets the Authorization header', async () => {
    const l = lease();
    expect(l.headers.has('Authorization')).to.equal(false);
    const acquiring = l.acquire();
    expect(requests).to.have.length(1);
    expect(requests[0].body).to.deep.equal({ room: 'standup', name: 'Ada' });
    requests[0].answer(200, { token: 'first' });
    const token = await acquiring;
    expect(token.token).to.equal('first');
    expect(l.token).to.equal(token);
    expect(l.headers.get('Authorization')).to.equal('Bearer first');
    l.stop();
  });

  it('sends one random Call-Session-Key for the lease’s life: it locks the SFU sessions to this page', async () => {
    const l = await acquired();
    const key = l.headers.get('Call-Session-Key');
    expect(key).to.match(/^[0-9a-f]{64}$/);
    expect(lease().headers.get('Call-Session-Key')).to.not.equal(key);
    const refreshing = l.refreshAfterRefusal();
    requests[1].answer(200, { token: 'second' });
    await refreshing;
    expect(l.headers.get('Call-Session-Key'), 'a new token keeps the key').to.equal(key);
    l.stop();
  });

  it('acquire() throws the CallError of a refused token request', async () => {
    const l = lease();
    const acquiring = l.acquire().catch((e: unknown) => e);
    requests[0].answer(403, { errorCode: 'forbidden' });
    const error = (await acquiring) as CallError;
    expect(error).to.be.instanceOf(CallError);
    expect(error.code).to.equal('forbidden');
    expect(l.headers.has('Authorization')).to.equal(false);
    expect(errors, 'onRefreshError is for refreshes only').to.deep.equal([]);
  });

  it('fetches exactly one fresh token on the first refusal and updates the header', async () => {
    const l = await acquired();
    const refreshing = l.refreshAfterRefusal();
    expect(requests).to.have.length(2);
    expect(requests[1].body, 'names the token it renews: the call goes on as the same user').to.deep.equal({
      room: 'standup',
      name: 'Ada',
      previous: 'first',
    });
    expect(l.headers.get('Authorization'), 'unchanged until the fresh token arrives').to.equal(
      'Bearer first',
    );
    requests[1].answer(200, { token: 'second' });
    expect(await refreshing).to.equal(true);
    expect(l.headers.get('Authorization')).to.equal('Bearer second');
    expect(l.token?.token).to.equal('second');
    expect(requests).to.have.length(2);
    l.stop();
  });

  it('lets refusals during the refresh share it', async () => {
    const l = await acquired();
    const first = l.refreshAfterRefusal();
    const second = l.refreshAfterRefusal();
    const third = l.refreshAfterRefusal();
    expect(requests, 'one fetch for all three').to.have.length(2);
    requests[1].answer(200, { token: 'second' });
    expect(await Promise.all([first, second, third])).to.deep.equal([true, true, true]);
    expect(requests).to.have.length(2);
    expect(l.headers.get('Authorization')).to.equal('Bearer second');
    l.stop();
  });

  it('answers the settled result to a refusal within the grace, and false after it', async () => {
    const l = await acquired();
    const refreshing = l.refreshAfterRefusal();
    requests[1].answer(200, { token: 'second' });
    expect(await refreshing).to.equal(true);

    skewMs = 400;
    expect(await l.refreshAfterRefusal(), 'a call that left with the old token').to.equal(true);
    expect(requests).to.have.length(2);

    skewMs = 600;
    expect(await l.refreshAfterRefusal(), 'the fresh token was refused').to.equal(false);
    expect(requests, 'no second refresh').to.have.length(2);
    expect(l.headers.get('Authorization')).to.equal('Bearer second');
    expect(errors).to.deep.equal([]);
    l.stop();
  });

  it('re-arms the refusal refresh after a good answer, once the last refresh settled a while ago', async () => {
    const l = await acquired();
    const refreshing = l.refreshAfterRefusal();
    requests[1].answer(200, { token: 'second' });
    await refreshing;
    skewMs = 1_000;
    l.rearm();
    expect(await l.refreshAfterRefusal(), 'too soon after the refresh: still spent').to.equal(false);
    skewMs = 6_000;
    l.rearm();
    const again = l.refreshAfterRefusal();
    expect(requests, 'a later refusal earns a fresh token again').to.have.length(3);
    requests[2].answer(200, { token: 'third' });
    expect(await again).to.equal(true);
    expect(l.headers.get('Authorization')).to.equal('Bearer third');
    l.stop();
  });

  it('tells onToken listeners about every token it takes, until they unsubscribe', async () => {
    const l = await acquired();
    const seen: string[] = [];
    const stop = l.onToken((token) => seen.push(token.token));
    const refreshing = l.refreshAfterRefusal();
    requests[1].answer(200, { token: 'second' });
    await refreshing;
    stop();
    skewMs = 6_000;
    l.rearm();
    const again = l.refreshAfterRefusal();
    requests[2].answer(200, { token: 'third' });
    await again;
    expect(seen).to.deep.equal(['second']);
    l.stop();
  });

  it('reports a failed refresh and answers false, also within the grace', async () => {
    const l = await acquired();
    const refreshing = l.refreshAfterRefusal();
    requests[1].answer(500, 'down');
    expect(await refreshing).to.equal(false);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(CallError);
    expect((errors[0] as CallError).code).to.equal('token-failed');
    expect(l.headers.get('Authorization'), 'keeps the token it has').to.equal('Bearer first');

    expect(await l.refreshAfterRefusal()).to.equal(false);
    expect(requests).to.have.length(2);
    expect(errors, 'reported once').to.have.length(1);
    l.stop();
  });

  it('stop() aborts a refresh under way without reporting it', async () => {
    const l = await acquired();
    const refreshing = l.refreshAfterRefusal();
    const signal = requests[1].signal;
    expect(signal?.aborted).to.equal(false);
    l.stop();
    expect(signal?.aborted, 'the fetch sees the abort').to.equal(true);
    expect(await refreshing).to.equal(false);
    expect(errors).to.deep.equal([]);
    expect(l.headers.get('Authorization')).to.equal('Bearer first');
  });

  it('stop() aborts the first fetch, which acquire() throws as the AbortError', async () => {
    const l = lease();
    const acquiring = l.acquire().catch((e: unknown) => e);
    l.stop();
    expect(requests[0].signal?.aborted).to.equal(true);
    expect(((await acquiring) as Error).name).to.equal('AbortError');
    expect(errors).to.deep.equal([]);
  });

  it('acquire() again earns a fresh refusal refresh', async () => {
    const l = await acquired();
    const refreshing = l.refreshAfterRefusal();
    requests[1].answer(200, { token: 'second' });
    await refreshing;
    skewMs = 1000;
    expect(await l.refreshAfterRefusal()).to.equal(false);
    expect(requests).to.have.length(2);

    const acquiring = l.acquire();
    expect(requests).to.have.length(3);
    requests[2].answer(200, { token: 'third' });
    await acquiring;
    expect(l.headers.get('Authorization')).to.equal('Bearer third');

    const again = l.refreshAfterRefusal();
    expect(requests, 'the rule starts over').to.have.length(4);
    expect(requests[3].signal?.aborted).to.equal(false);
    requests[3].answer(200, { token: 'fourth' });
    expect(await again).to.equal(true);
    expect(l.headers.get('Authorization')).to.equal('Bearer fourth');
    l.stop();
  });

  it('acquire() abandons a refusal refresh under way, without reporting it', async () => {
    const l = await acquired();
    const refreshing = l.refreshAfterRefusal();
    const acquiring = l.acquire();
    expect(requests[1].signal?.aborted).to.equal(true);
    expect(await refreshing).to.equal(false);
    expect(errors, 'an abandoned refresh is no error').to.deep.equal([]);
    requests[2].answer(200, { token: 'third' });
    await acquiring;
    expect(l.headers.get('Authorization')).to.equal('Bearer third');
    expect(requests, 'no fetch beyond the two').to.have.length(3);
    l.stop();
  });

  it('schedules the refresh of a token that lives for months without firing it at once', async () => {
    const l = lease();
    const acquiring = l.acquire();
    const exp = Math.floor(Date.now() / 1000) + 30 * 24 * 60 * 60;
    const token = `h.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.s`;
    requests[0].answer(200, { token });
    await acquiring;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests, 'no refresh fetched (setTimeout wraps delays beyond 2^31 - 1 ms)').to.have.length(1);
    l.stop();
  });

  it('held() hands over the token synchronously for the same name, and nothing for another name or after stop()', async () => {
    const l = await acquired();
    expect(l.held()?.token).to.equal('first');
    expect(l.held('Someone else')).to.equal(undefined);
    l.stop();
    expect(l.held(), 'a stopped lease holds nothing to join with').to.equal(undefined);
  });
});
