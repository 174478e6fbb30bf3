// The protocol module lives in src/protocol (the widget imports it); its codec is tested here with the server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeClientMessage, decodeServerMessage, encodeMessage } from '../../../src/protocol/codec.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';

describe('presence protocol codec', () => {
  it('accepts valid client messages and strips fields the client may not set', () => {
    const result = decodeClientMessage(
      JSON.stringify({ v, type: 'update-state', participantId: 'bob', state: { micOn: true, name: 'x' } }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.message, { v, type: 'update-state', state: { micOn: true } });
  });

  it('refuses non-JSON, non-objects, unknown types and wrong versions without throwing', () => {
    const cases: [string, string][] = [
      ['{not json', 'bad-request'],
      ['[1,2]', 'bad-request'],
      ['null', 'bad-request'],
      [JSON.stringify({ v, type: 'mute-everyone' }), 'bad-request'],
      [JSON.stringify({ v: 2, type: 'ping' }), 'unsupported-version'],
      [JSON.stringify({ type: 'ping' }), 'unsupported-version'],
      ['['.repeat(5000) + ']'.repeat(5000), 'bad-request'],
    ];
    for (const [frame, code] of cases) {
      const result = decodeClientMessage(frame);
      assert.equal(result.ok, false, frame.slice(0, 40));
      if (!result.ok) assert.equal(result.code, code);
    }
  });

  it('treats a "__proto__" key as plain data that is dropped', () => {
    const result = decodeClientMessage(`{"v":${v},"type":"ping","__proto__":{"admin":true}}`);
    assert.ok(result.ok);
    assert.equal(Object.getPrototypeOf(result.message), Object.prototype);
    assert.equal((result.message as { admin?: unknown }).admin, undefined);
    assert.equal(({} as { admin?: unknown }).admin, undefined, 'Object.prototype untouched');
  });

  it('refuses track metadata whose kind does not match its source', () => {
    const result = decodeClientMessage(
      JSON.stringify({
        v,
        type: 'publish',
        track: { sessionId: 's1', trackName: 't', kind: 'audio', source: 'camera' },
      }),
    );
    assert.equal(result.ok, false);
  });

  it('round-trips server messages', () => {
    const message = { v, type: 'participant-left', participantId: 'a', reason: 'timeout' } as const;
    assert.deepEqual(decodeServerMessage(encodeMessage(message)), { ok: true, message });
  });
});
