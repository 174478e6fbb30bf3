// Finding 7 of the reliability review: the client's query string never reaches the SFU, on any route
// (partytracks itself appends `?<params>` to some calls; `?debug=1&appId=other` arrived upstream before).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startProxyHarness, type Caller, type ProxyHarness } from '../../support/proxy-harness.js';

const OFFER = 'v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n';
const HOSTILE_QUERY = '?debug=1&appId=other&sessionId=x';

describe('partytracks proxy: query strings', () => {
  let h: ProxyHarness;
  let alice: Caller;

  before(async () => {
    h = await startProxyHarness();
    alice = await h.caller({ userId: 'alice' });
  });
  after(() => h.close());

  it('forwards no query string on sessions/new, tracks/new, renegotiate and tracks/close', async () => {
    h.upstream.requests.length = 0;
    const created = await alice.call(`sessions/new${HOSTILE_QUERY}`, { method: 'POST' });
    assert.equal(created.status, 201);
    const sessionId = created.json.sessionId as string;
    const calls = [
      [
        `sessions/${sessionId}/tracks/new${HOSTILE_QUERY}`,
        'POST',
        {
          sessionDescription: { type: 'offer', sdp: OFFER },
          tracks: [{ location: 'local', mid: '0', trackName: 'cam' }],
        },
      ],
      [
        `sessions/${sessionId}/renegotiate${HOSTILE_QUERY}`,
        'PUT',
        { sessionDescription: { type: 'answer', sdp: OFFER.replace('sendonly', 'recvonly') } },
      ],
      [`sessions/${sessionId}/tracks/close${HOSTILE_QUERY}`, 'PUT', { tracks: [{ mid: '0' }], force: false }],
    ] as const;
    for (const [path, method, body] of calls) {
      const { status, json } = await alice.call(path, { method, body });
      assert.equal(status, 200, `${path}: ${JSON.stringify(json)}`);
    }
    assert.equal(h.upstream.requests.length, 4);
    for (const forwarded of h.upstream.requests) {
      assert.ok(!forwarded.path.includes('?'), `forwarded with a query: ${forwarded.path}`);
      assert.ok(forwarded.path.startsWith('/v1/apps/test-app/sessions/'), forwarded.path);
    }
  });
});
