import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { CallTokenError, createCallToken } from '../../../server/core/call-token.js';
import { BoundedCache } from '../../../server/http/bounded-cache.js';
import { createVerifiedTokens } from '../../../server/http/verified-tokens.js';
import { ManualClock } from '../../support/presence-fixtures.js';
import { TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

describe('verified tokens', () => {
  it('accepts a token it verified once without verifying it again, until it expires', async () => {
    const clock = new ManualClock();
    const verify = createVerifiedTokens({ secret: TEST_TOKEN_SECRET, now: clock.now });
    const token = await createCallToken({
      secret: TEST_TOKEN_SECRET,
      room: 'A',
      userId: 'alice',
      ttlSeconds: 60,
      now: clock.now,
    });
    const first = await verify(token);
    assert.equal(first.userId, 'alice');
    assert.equal(await verify(token), first, 'the second call answers from memory');
    clock.advance(61_000 + 60_000); // past `exp` and the verifier's clock tolerance
    await assert.rejects(verify(token), (error) => error instanceof CallTokenError);
  });

  it('remembers no refusal: a bad token is refused every time', async () => {
    const clock = new ManualClock();
    const verify = createVerifiedTokens({ secret: TEST_TOKEN_SECRET, now: clock.now });
    const forged = await new SignJWT({ room: 'A' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime(Math.floor(clock.now() / 1000) + 60)
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123'));
    await assert.rejects(verify(forged), (error) => error instanceof CallTokenError);
    await assert.rejects(verify(forged), (error) => error instanceof CallTokenError);
  });

  it('keeps at most `max` tokens, forgetting the oldest', async () => {
    const clock = new ManualClock();
    const verify = createVerifiedTokens({ secret: TEST_TOKEN_SECRET, now: clock.now, max: 1 });
    const tokenOf = (userId: string) =>
      createCallToken({ secret: TEST_TOKEN_SECRET, room: 'A', userId, now: clock.now });
    const [alice, bob] = [await tokenOf('alice'), await tokenOf('bob')];
    const aliceClaims = await verify(alice);
    await verify(bob);
    assert.notEqual(await verify(alice), aliceClaims, 'alice was forgotten and verified again');
  });
});

describe('bounded cache', () => {
  it('forgets the least recently set entry beyond its size', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3); // `a` is now the newest
    cache.set('c', 4);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 3);
    assert.equal(cache.get('c'), 4);
    assert.equal(cache.size, 2);
  });
});
