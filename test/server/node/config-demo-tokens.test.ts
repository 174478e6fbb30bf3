// Finding 8 of the reliability review: the demo token endpoint (a token for anyone who asks) is on by default
// only when the server binds loopback; anywhere else it takes an explicit DEMO_TOKENS=1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDevStackConfig } from '../../../server/node/config.js';

describe('npm start configuration: the demo token endpoint', () => {
  it('is on by default on loopback addresses', () => {
    for (const HOST of [undefined, '127.0.0.1', '127.0.0.2', 'localhost', '::1']) {
      assert.equal(readDevStackConfig({ HOST }).demoTokenEndpoint, true, `HOST=${HOST}`);
    }
  });

  it('is off by default on any other address, even with Cloudflare credentials', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.20', 'example.test']) {
      assert.equal(readDevStackConfig({ HOST }).demoTokenEndpoint, false, `HOST=${HOST}`);
    }
    const production = readDevStackConfig({ HOST: '0.0.0.0', CALLS_APP_ID: 'a', CALLS_APP_SECRET: 's' });
    assert.equal(production.demoTokenEndpoint, false);
  });

  it('follows an explicit DEMO_TOKENS (or DEMO_TOKEN_ENDPOINT) either way', () => {
    assert.equal(readDevStackConfig({ HOST: '0.0.0.0', DEMO_TOKENS: '1' }).demoTokenEndpoint, true);
    assert.equal(readDevStackConfig({ HOST: '0.0.0.0', DEMO_TOKEN_ENDPOINT: 'on' }).demoTokenEndpoint, true);
    assert.equal(readDevStackConfig({ DEMO_TOKENS: '0' }).demoTokenEndpoint, false);
    assert.equal(readDevStackConfig({ DEMO_TOKEN_ENDPOINT: 'off' }).demoTokenEndpoint, false);
    assert.throws(() => readDevStackConfig({ DEMO_TOKENS: 'maybe' }), /DEMO_TOKENS/);
  });
});

describe('npm start configuration: the SFU timeout', () => {
  it('reads SFU_TIMEOUT_MS and refuses nonsense', () => {
    assert.equal(readDevStackConfig({}).upstreamTimeoutMs, undefined, 'the call server default (10 s)');
    assert.equal(readDevStackConfig({ SFU_TIMEOUT_MS: '2500' }).upstreamTimeoutMs, 2500);
    assert.throws(() => readDevStackConfig({ SFU_TIMEOUT_MS: 'soon' }), /SFU_TIMEOUT_MS/);
  });
});
