// Finding 8 of the reliability review: the demo token endpoint is rate limited per client address, with 429
// and Retry-After, over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCallServer, type CallServer } from '../../../server/node/call-server.js';
import { ProxyErrorCode } from '../../../src/protocol/proxy-error-codes.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

describe('demo token endpoint: rate limit', () => {
  let server: CallServer;

  before(async () => {
    server = await startCallServer({
      port: 0,
      tokenSecret: TEST_TOKEN_SECRET,
      demoTokenEndpoint: true,
      upstream: {
        appId: TEST_SFU_APP_ID,
        appSecret: TEST_SFU_APP_SECRET,
        realtimeApiBaseUrl: 'http://127.0.0.1:9/v1',
        staticIceServers: [],
      },
    });
  });
  after(() => server.close());

  it('answers 429 rate_limited with Retry-After once one address asked too often', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${server.url}/api/call-token`, {
        method: 'POST',
        body: JSON.stringify({ room: 'r' }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        limited = response;
        break;
      }
      await response.body?.cancel();
    }
    assert.ok(limited, `${statuses.length} tokens in a row, none refused`);
    assert.ok(statuses.filter((s) => s === 200).length >= 50, 'a test suite’s pages still get their tokens');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${retryAfter}`);
    const body = (await limited.json()) as { errorCode: string };
    assert.equal(body.errorCode, ProxyErrorCode.rateLimited);
  });
});
