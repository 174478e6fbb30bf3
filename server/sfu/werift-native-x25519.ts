// werift 0.25's DTLS does its X25519 key exchange (the curve Chrome offers first) with tweetnacl, in
// JavaScript: generating the server's key pair and computing the shared secret cost a few ms each per
// handshake, on the event loop that also forwards media, and many times that on a busy machine. Both sit
// on the path to a subscriber's first frame. Node's crypto does the same X25519 natively, about 20× faster.
// werift reads `nacl.box.keyPair` and `nacl.scalarMult` from tweetnacl's exports at each call, so replacing
// those two on the copy werift loads is enough; the results are the same bytes (RFC 7748 X25519, clamping
// included), and anything native refuses falls back to tweetnacl.
import { createRequire } from 'node:module';
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { requireMethod } from './werift-guard.js';

interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}
interface TweetNacl {
  scalarMult: ((n: Uint8Array, p: Uint8Array) => Uint8Array) & Record<string, unknown>;
  box: { keyPair: (() => KeyPair) & Record<string, unknown> };
}

// The fixed DER wrappers of a raw 32-byte X25519 key (RFC 8410): PKCS#8 private, SPKI public.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const KEY_BYTES = 32;

/** A fresh 32-byte array on its own buffer: werift reads the result's `.buffer` whole. */
const own = (bytes: Uint8Array) => new Uint8Array(bytes);

function nativeKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const secretKey = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-KEY_BYTES);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-KEY_BYTES);
  return { secretKey: own(secretKey), publicKey: own(raw) };
}

function nativeScalarMult(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, secretKey]),
    format: 'der',
    type: 'pkcs8',
  });
  const peerKey = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, publicKey]),
    format: 'der',
    type: 'spki',
  });
  return own(diffieHellman({ privateKey, publicKey: peerKey }));
}

let patched = false;

/** Gives werift's DTLS native X25519. Idempotent. */
export function useNativeX25519(): void {
  if (patched) return;
  const require = createRequire(import.meta.resolve('werift'));
  const nacl = require('tweetnacl') as TweetNacl;
  requireMethod(nacl, 'scalarMult', 'tweetnacl');
  requireMethod(nacl.box, 'keyPair', 'tweetnacl.box');
  const scalarMult = nacl.scalarMult;
  const keyPair = nacl.box.keyPair;
  const fastScalarMult = Object.assign((n: Uint8Array, p: Uint8Array): Uint8Array => {
    if (n.length !== KEY_BYTES || p.length !== KEY_BYTES) return scalarMult(n, p);
    try {
      return nativeScalarMult(n, p);
    } catch {
      return scalarMult(n, p); // e.g. a low-order point, which OpenSSL refuses and tweetnacl computes
    }
  }, scalarMult);
  const fastKeyPair = Object.assign((): KeyPair => {
    try {
      return nativeKeyPair();
    } catch {
      return keyPair();
    }
  }, keyPair);
  nacl.scalarMult = fastScalarMult;
  nacl.box.keyPair = fastKeyPair;
  patched = true;
}
