// Finding 3 of the reliability review: an SFU that accepts the connection and never answers must not hold the
// browser's request; the proxy answers 504 `upstream_timeout` after its deadline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProxyErrorCode } from '../../../src/protocol/proxy-error-codes.js';
import { startProxyHarness, type Caller, type ProxyHarness } from '../../support/proxy-harness.js';

describe('partytracks proxy: upstream timeout', () => {
  let h: ProxyHarness;
  let alice: Caller;

  before(async () => {
    h = await startProxyHarness({ upstreamTimeoutMs: 400 });
    alice = await h.caller({ userId: 'alice' });
  });
  after(() => h.close());

  it('answers 504 upstream_timeout when the SFU accepts sessions/new and never answers', async () => {
    h.upstream.hangNext();
    const started = performance.now();
    const { status, json } = await alice.call('sessions/new', { method: 'POST' });
    const elapsed = performance.now() - started;
    assert.equal(status, 504);
    assert.equal(json.errorCode, ProxyErrorCode.upstreamTimeout);
    assert.ok(elapsed >= 350 && elapsed < 3000, `answered after ${Math.round(elapsed)} ms`);
  });

  it('times out a call on an existing session the same way, and the next call works again', async () => {
    const sessionId = await alice.newSession();
    h.upstream.hangNext();
    const { status, json } = await alice.call(`sessions/${sessionId}`);
    assert.equal(status, 504);
    assert.equal(json.errorCode, ProxyErrorCode.upstreamTimeout);
    const again = await alice.call(`sessions/${sessionId}`);
    assert.equal(again.status, 200, JSON.stringify(again.json));
  });
});
