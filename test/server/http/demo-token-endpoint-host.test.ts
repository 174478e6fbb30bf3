import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyCallToken } from '../../../server/core/call-token.js';
import { createDemoTokenEndpoint } from '../../../server/http/demo-token-endpoint.js';
import { TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

const endpoint = createDemoTokenEndpoint({ tokenSecret: TEST_TOKEN_SECRET, now: Date.now });
const ask = (query: string, address?: string) =>
  endpoint(
    new Request(`http://127.0.0.1/api/call-token${query}`, {
      method: 'POST',
      body: JSON.stringify({ room: 'standup' }),
    }),
    address,
  );

describe('demo token endpoint: host tokens', () => {
  it('makes a host (canModerate) for a caller on this machine who asks with role=host', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const response = await ask('?role=host', address);
      assert.equal(response.status, 200, address);
      const { token } = (await response.json()) as { token: string };
      const claims = await verifyCallToken(token, { secret: TEST_TOKEN_SECRET });
      assert.equal(claims.canModerate, true, `${address} gets a host token`);
      assert.match(claims.name, /^Host /);
    }
  });

  it('refuses host tokens to anyone else, and keeps guests guests', async () => {
    for (const address of ['192.168.1.5', '10.0.0.1', undefined]) {
      const response = await ask('?role=host', address);
      assert.equal(response.status, 403, String(address));
      const body = (await response.json()) as { errorCode: string; errorDescription: string };
      assert.equal(body.errorCode, 'forbidden');
    }
    const guest = (await (await ask('', '127.0.0.1')).json()) as { token: string };
    assert.equal((await verifyCallToken(guest.token, { secret: TEST_TOKEN_SECRET })).canModerate, false);
    assert.equal((await ask('?role=admin', '127.0.0.1')).status, 400);
  });
});
