import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { createSessionKey } from '../../../src/protocol/session-key.js';
import {
  createSessionLock,
  sessionKeyDigest,
  SESSION_LOCK_TTL_SECONDS,
} from '../../../server/http/session-lock.js';
import { ManualClock } from '../../support/presence-fixtures.js';
import { TEST_SFU_APP_SECRET } from '../../support/test-secrets.js';

const requestWith = (cookie: string) =>
  new Request('http://127.0.0.1/partytracks/x', { headers: { cookie } });
const pairOf = (setCookie: string) => setCookie.split(';')[0] ?? '';

const CREATOR = { userId: 'alice', room: 'A' };

describe('session lock', () => {
  const clock = new ManualClock();
  const lock = createSessionLock({ appSecret: TEST_SFU_APP_SECRET, path: '/partytracks', now: clock.now });

  it('accepts its own cookie for the session it was issued for, among other cookies', async () => {
    const cookie = pairOf((await lock.issue('s1', CREATOR)).cookie);
    assert.equal(await lock.check(requestWith(`host=1; ${cookie}; other=2`), 's1'), 'valid');
  });

  it('tells a missing lock from an invalid one', async () => {
    assert.equal(await lock.check(requestWith('host=1'), 's1'), 'missing');
    assert.equal(await lock.check(requestWith('partytracks-session-s1=garbage'), 's1'), 'invalid');
  });

  it('refuses a lock of another session under this session’s name', async () => {
    const other = pairOf((await lock.issue('s2', CREATOR)).cookie).split('=')[1] ?? '';
    assert.equal(await lock.check(requestWith(`partytracks-session-s1=${other}`), 's1'), 'invalid');
  });

  it('refuses a lock signed with the app secret itself (partytracks’ way)', async () => {
    const forged = await new SignJWT({ sid: 's1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(Math.floor(clock.now() / 1000) + 60)
      .sign(new TextEncoder().encode(TEST_SFU_APP_SECRET));
    assert.equal(await lock.check(requestWith(`partytracks-session-s1=${forged}`), 's1'), 'invalid');
  });

  it('expires with the session registry’s memory of the session', async () => {
    const cookie = pairOf((await lock.issue('s3', CREATOR)).cookie);
    clock.advance((SESSION_LOCK_TTL_SECONDS - 1) * 1000);
    assert.equal(await lock.check(requestWith(cookie), 's3'), 'valid');
    clock.advance(2000);
    assert.equal(await lock.check(requestWith(cookie), 's3'), 'invalid');
  });

  it('uses a different key per app secret', async () => {
    const otherLock = createSessionLock({
      appSecret: 'another-app-secret',
      path: '/partytracks',
      now: clock.now,
    });
    const cookie = pairOf((await otherLock.issue('s4', CREATOR)).cookie);
    assert.equal(await lock.check(requestWith(cookie), 's4'), 'invalid');
  });

  describe('session key (Call-Session-Key), for pages whose cookie can’t reach the server', () => {
    const withKey = (key: string, cookie = '') =>
      new Request('http://127.0.0.1/partytracks/x', {
        headers: { 'call-session-key': key, ...(cookie && { cookie }) },
      });

    it('digests a key as hex SHA-256, and tells a missing key from a malformed one', async () => {
      const key = createSessionKey();
      assert.match(key, /^[0-9a-f]{64}$/);
      assert.notEqual(createSessionKey(), key, 'random');
      assert.match((await sessionKeyDigest(withKey(key))) ?? '', /^[0-9a-f]{64}$/);
      assert.equal(await sessionKeyDigest(requestWith('a=1')), undefined);
      for (const bad of ['short', 'x'.repeat(129), `${'a'.repeat(40)} b`, `${'a'.repeat(40)};`]) {
        assert.equal(await sessionKeyDigest(withKey(bad)), 'malformed', bad);
      }
    });

    it('unlocks a session created with the same key, with no cookie', async () => {
      const key = createSessionKey();
      const digest = (await sessionKeyDigest(withKey(key))) as string;
      assert.equal(await lock.check(withKey(key), 's5', digest), 'valid');
      assert.equal(await lock.check(withKey(createSessionKey()), 's5', digest), 'invalid', 'another key');
      assert.equal(await lock.check(requestWith('a=1'), 's5', digest), 'missing', 'no key, no cookie');
    });

    it('a wrong key is refused even next to a valid cookie, and a key never unlocks a session created without one', async () => {
      const key = createSessionKey();
      const digest = (await sessionKeyDigest(withKey(key))) as string;
      const cookie = pairOf((await lock.issue('s6', CREATOR)).cookie);
      assert.equal(await lock.check(withKey(key, cookie), 's6', digest), 'valid');
      assert.equal(await lock.check(requestWith(cookie), 's6', digest), 'valid', 'the cookie alone');
      assert.equal(await lock.check(withKey(createSessionKey(), cookie), 's6', digest), 'invalid');
      assert.equal(await lock.check(withKey(key), 's6'), 'missing', 'created without a key: cookie only');
    });
  });
});
