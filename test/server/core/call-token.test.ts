import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import {
  CallTokenError,
  createCallToken,
  verifyCallToken,
  type CallTokenErrorCode,
} from '../../../server/core/call-token.js';
import { TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

const secret = TEST_TOKEN_SECRET;
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number) => () => ms;
const key = new TextEncoder().encode(secret);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const baseClaims = { room: 'A', canPublish: true, canSubscribe: true, aud: 'call-elements', sub: 'alice' };

async function rejects(
  token: string,
  code: CallTokenErrorCode,
  options: { room?: string; now?: number } = {},
) {
  await assert.rejects(
    verifyCallToken(token, { secret, room: options.room, now: at(options.now ?? t0) }),
    (error: unknown) => error instanceof CallTokenError && error.code === code,
  );
}

describe('call tokens', () => {
  it('round-trips the claims of a token made by createCallToken', async () => {
    const token = await createCallToken({
      secret,
      room: 'A',
      userId: 'alice',
      name: 'Alice',
      canPublish: true,
      canModerate: true,
      ttlSeconds: 600,
      now: at(t0),
    });
    const claims = await verifyCallToken(token, { secret, room: 'A', now: at(t0) });
    assert.deepEqual(claims, {
      userId: 'alice',
      room: 'A',
      name: 'Alice',
      canPublish: true,
      canSubscribe: true,
      canModerate: true,
      canChat: false,
      expiresAt: t0 / 1000 + 600,
    });
  });

  it('carries canChat when granted', async () => {
    const token = await createCallToken({ secret, room: 'A', userId: 'viewer', canChat: true, now: at(t0) });
    const claims = await verifyCallToken(token, { secret, now: at(t0) });
    assert.equal(claims.canChat, true);
    assert.equal(claims.canPublish, false);
  });

  it('denies publishing and moderating unless granted', async () => {
    const token = await createCallToken({ secret, room: 'A', userId: 'viewer', now: at(t0) });
    const claims = await verifyCallToken(token, { secret, now: at(t0) });
    assert.equal(claims.canPublish, false);
    assert.equal(claims.canModerate, false);
    assert.equal(claims.canSubscribe, true);
  });

  it('strips control and bidi-override characters from display names', async () => {
    const token = await createCallToken({
      secret,
      room: 'A',
      userId: 'u',
      name: ' Ev\u202Eil\u0007 ',
      now: at(t0),
    });
    assert.equal((await verifyCallToken(token, { secret, now: at(t0) })).name, 'Evil');
  });

  it('refuses alg:none', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...baseClaims, exp: t0 / 1000 + 600 })}.`;
    await rejects(token, 'invalid');
  });

  it('refuses a token signed with the wrong key', async () => {
    const token = await createCallToken({
      secret: 'another-secret-of-at-least-32-bytes!!',
      room: 'A',
      userId: 'alice',
      now: at(t0),
    });
    await rejects(token, 'invalid');
  });

  it('refuses another algorithm even when the HMAC is right (HS512)', async () => {
    const token = await new SignJWT({ ...baseClaims })
      .setProtectedHeader({ alg: 'HS512' })
      .setExpirationTime(t0 / 1000 + 600)
      .sign(key);
    await rejects(token, 'invalid');
  });

  it('refuses bad base64 and garbage', async () => {
    const good = await createCallToken({ secret, room: 'A', userId: 'alice', now: at(t0) });
    const [header, payload, signature] = good.split('.');
    await rejects(`${header}.${payload}!!.${signature}`, 'invalid');
    await rejects(`${header}.${payload}.${signature}%%`, 'invalid');
    await rejects('not-a-jwt', 'invalid');
    await rejects('', 'invalid');
  });

  it('refuses an expired token beyond 60 s of skew, and accepts one within it', async () => {
    const token = await createCallToken({ secret, room: 'A', userId: 'alice', ttlSeconds: 60, now: at(t0) });
    await verifyCallToken(token, { secret, now: at(t0 + 60_000 + 59_000) });
    await rejects(token, 'expired', { now: t0 + 60_000 + 61_000 });
  });

  it('refuses a token that expires more than 24 h (plus skew) from now, however it was signed', async () => {
    const lasting = (seconds: number) =>
      new SignJWT({ ...baseClaims })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(t0 / 1000)
        .setExpirationTime(t0 / 1000 + seconds)
        .sign(key);
    await rejects(await lasting(365 * 24 * 60 * 60), 'too-long-lived');
    await rejects(await lasting(24 * 60 * 60 + 61), 'too-long-lived');
    const longest = await verifyCallToken(await lasting(24 * 60 * 60 + 59), { secret, now: at(t0) });
    assert.equal(longest.userId, 'alice');
    const fromCreate = await createCallToken({
      secret,
      room: 'A',
      userId: 'a',
      ttlSeconds: 86_400,
      now: at(t0),
    });
    await verifyCallToken(fromCreate, { secret, now: at(t0) });
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ ...baseClaims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .sign(key);
    await rejects(token, 'missing-exp');
  });

  it('refuses a future nbf beyond 60 s of skew, and accepts one within it', async () => {
    const sign = (nbfSeconds: number) =>
      new SignJWT({ ...baseClaims })
        .setProtectedHeader({ alg: 'HS256' })
        .setNotBefore(t0 / 1000 + nbfSeconds)
        .setExpirationTime(t0 / 1000 + 3600)
        .sign(key);
    await rejects(await sign(120), 'not-yet-valid');
    await verifyCallToken(await sign(30), { secret, now: at(t0) });
  });

  it('refuses a room-A token used for room B', async () => {
    const token = await createCallToken({ secret, room: 'A', userId: 'alice', now: at(t0) });
    await rejects(token, 'room-mismatch', { room: 'B' });
  });

  it('refuses a token for another audience or without a subject', async () => {
    const foreign = await new SignJWT({ ...baseClaims, aud: 'someone-else' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(t0 / 1000 + 600)
      .sign(key);
    await rejects(foreign, 'invalid');
    const { sub: _sub, ...withoutSubject } = baseClaims;
    const anonymous = await new SignJWT(withoutSubject)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(t0 / 1000 + 600)
      .sign(key);
    await rejects(anonymous, 'invalid');
  });

  it('refuses weak secrets and bad options when creating tokens', async () => {
    await assert.rejects(createCallToken({ secret: 'short', room: 'A', userId: 'u' }), TypeError);
    await assert.rejects(createCallToken({ secret, room: '', userId: 'u' }), TypeError);
    await assert.rejects(createCallToken({ secret, room: 'A', userId: 'u', ttlSeconds: 0 }), TypeError);
    await assert.rejects(createCallToken({ secret, room: 'A', userId: 'u', ttlSeconds: 90_000 }), TypeError);
  });
});
