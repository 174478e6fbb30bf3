import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDevStackConfig } from '../../../server/node/config.js';

describe('npm start configuration', () => {
  it('defaults to 127.0.0.1:8787, the local SFU and the demo token endpoint', () => {
    assert.deepEqual(readDevStackConfig({}), {
      hostname: '127.0.0.1',
      port: 8787,
      tokenSecret: undefined,
      demoTokenEndpoint: true,
      allowedOrigins: undefined,
      sfu: { kind: 'local' },
    });
  });

  it('uses Cloudflare when both CALLS_APP_ID and CALLS_APP_SECRET are set', () => {
    const config = readDevStackConfig({
      CALLS_APP_ID: 'app',
      CALLS_APP_SECRET: 'secret',
      CALLS_TURN_KEY_ID: 'key',
      CALLS_TURN_KEY_API_TOKEN: 'turn-token',
    });
    assert.deepEqual(config.sfu, {
      kind: 'cloudflare',
      appId: 'app',
      appSecret: 'secret',
      realtimeApiBaseUrl: 'https://rtc.live.cloudflare.com/v1',
      turn: { keyId: 'key', apiToken: 'turn-token' },
    });
    assert.throws(() => readDevStackConfig({ CALLS_APP_ID: 'app' }), /both/);
  });

  it('switches the demo endpoint off and reads ports and origins', () => {
    const config = readDevStackConfig({
      DEMO_TOKEN_ENDPOINT: 'off',
      PORT: '9000',
      ALLOWED_ORIGINS: 'https://a.test, https://b.test',
    });
    assert.equal(config.demoTokenEndpoint, false);
    assert.equal(config.port, 9000);
    assert.deepEqual(config.allowedOrigins, ['https://a.test', 'https://b.test']);
    assert.throws(() => readDevStackConfig({ PORT: 'eighty' }), /PORT/);
  });
});
