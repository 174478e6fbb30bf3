// Native X25519 for werift's DTLS gives the same bytes as tweetnacl, on buffers werift can read whole.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { useNativeX25519 } from '../../../server/sfu/werift-native-x25519.js';

interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}
type ScalarMult = ((n: Uint8Array, p: Uint8Array) => Uint8Array) & { base(n: Uint8Array): Uint8Array };
const nacl = createRequire(import.meta.resolve('werift'))('tweetnacl') as {
  scalarMult: ScalarMult;
  box: { keyPair: () => KeyPair };
};
const jsScalarMult = nacl.scalarMult;
const jsKeyPair = nacl.box.keyPair;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('werift gets native X25519 with the same results as tweetnacl', () => {
  const alice = jsKeyPair();
  const bob = jsKeyPair();
  useNativeX25519();
  useNativeX25519(); // idempotent
  assert.notEqual(nacl.scalarMult, jsScalarMult);
  assert.equal(typeof nacl.scalarMult.base, 'function', 'the function keeps its properties');

  assert.equal(
    hex(nacl.scalarMult(alice.secretKey, bob.publicKey)),
    hex(jsScalarMult(alice.secretKey, bob.publicKey)),
  );

  const native = nacl.box.keyPair();
  assert.equal(hex(native.publicKey), hex(jsScalarMult.base(native.secretKey)));
  // werift wraps `keys.secretKey.buffer`: the whole buffer must be the key.
  assert.equal(native.secretKey.buffer.byteLength, 32);
  assert.equal(native.publicKey.buffer.byteLength, 32);
  assert.equal(
    hex(nacl.scalarMult(native.secretKey, alice.publicKey)),
    hex(jsScalarMult(alice.secretKey, native.publicKey)),
  );
  assert.equal(nacl.scalarMult(native.secretKey, alice.publicKey).buffer.byteLength, 32);
});

test('a point native X25519 refuses falls back to tweetnacl instead of throwing', () => {
  useNativeX25519();
  const { secretKey } = jsKeyPair();
  const zero = new Uint8Array(32);
  assert.equal(hex(nacl.scalarMult(secretKey, zero)), hex(jsScalarMult(secretKey, zero)));
});
