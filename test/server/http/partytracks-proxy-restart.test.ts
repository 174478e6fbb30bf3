// Finding 9 of the reliability review (server side): after a call-server restart the proxy's memory of who
// created which SFU session is empty. A session it does not know is 410 `session_gone` (start a new one), not
// 403; a caller who proves ownership with the session lock (cookie or `Call-Session-Lock` header) and a room
// token of the same user and room gets the session back. Also finding 5's signal: the SFU answering 404/410
// for a session is reported as that session being gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProxyErrorCode } from '../../../src/protocol/proxy-error-codes.js';
import { SESSION_LOCK_HEADER, createSessionKey } from '../../../src/protocol/session-key.js';
import { startProxyHarness, type Caller, type ProxyHarness } from '../../support/proxy-harness.js';

describe('partytracks proxy: after a restart', () => {
  let h: ProxyHarness;
  let alice: Caller;
  let mallory: Caller; // same room, another user

  before(async () => {
    h = await startProxyHarness();
    alice = await h.caller({ userId: 'alice' });
    mallory = await h.caller({ userId: 'mallory' });
  });
  after(() => h.close());

  it('gives a session back to the caller whose lock cookie proves they created it', async () => {
    const sessionId = await alice.newSession();
    h.restart();
    const { status, json } = await alice.call(`sessions/${sessionId}`);
    assert.equal(status, 200, JSON.stringify(json));
    assert.ok(h.sessions.isOwnedBy(sessionId, { userId: 'alice', room: 'A' }), 'ownership is re-registered');
    assert.equal((await mallory.call(`sessions/${sessionId}`)).status, 403, 'and it is alice’s again');
  });

  it('answers 410 session_gone, not 403, for a session it does not know and nobody proves', async () => {
    const sessionId = await alice.newSession();
    h.restart();
    const stranger = await mallory.call(`sessions/${sessionId}`);
    assert.equal(stranger.status, 410);
    assert.equal(stranger.json.errorCode, ProxyErrorCode.sessionGone);
    const noLock = await alice.call(`sessions/${sessionId}`, { headers: { cookie: '' } });
    assert.equal(noLock.status, 410);
    assert.equal(noLock.json.errorCode, ProxyErrorCode.sessionGone);
    assert.equal(h.sessions.ownerOf(sessionId), undefined, 'nobody became its owner');
  });

  it('does not accept a lock for another session, or another user’s lock', async () => {
    const aliceSession = await alice.newSession();
    const created = await alice.call('sessions/new', { method: 'POST' });
    const aliceCookie = created.response.headers.getSetCookie()[0]!.split(';')[0]!;
    const malloryLock = (await mallory.call('sessions/new', { method: 'POST' })).response.headers.get(
      SESSION_LOCK_HEADER,
    );
    h.restart();
    // Mallory stole alice's cookie for her second session and presents it for the first: wrong session id.
    const wrongSession = await mallory.call(`sessions/${aliceSession}`, { headers: { cookie: aliceCookie } });
    assert.equal(wrongSession.status, 410);
    // Mallory's own valid lock, for alice's session id: the lock names another session.
    const foreignLock = await mallory.call(`sessions/${aliceSession}`, {
      headers: { cookie: '', [SESSION_LOCK_HEADER]: malloryLock ?? '' },
    });
    assert.equal(foreignLock.status, 410);
    // Alice's cookie for her own second session, presented with mallory's token: another user.
    const secondId = created.json.sessionId as string;
    const otherUser = await mallory.call(`sessions/${secondId}`, { headers: { cookie: aliceCookie } });
    assert.equal(otherUser.status, 410);
    assert.equal(h.sessions.ownerOf(secondId), undefined);
  });

  it('accepts the Call-Session-Lock header with the session key where no cookie travels', async () => {
    const key = createSessionKey();
    const created = await alice.call('sessions/new', {
      method: 'POST',
      headers: { cookie: '', 'call-session-key': key },
    });
    const sessionId = created.json.sessionId as string;
    const lock = created.response.headers.get(SESSION_LOCK_HEADER);
    assert.ok(lock, 'sessions/new hands out the lock in a header too');
    h.restart();
    const otherKey = await alice.call(`sessions/${sessionId}`, {
      headers: { cookie: '', 'call-session-key': createSessionKey(), [SESSION_LOCK_HEADER]: lock },
    });
    assert.equal(otherKey.status, 410, 'a lock made with a session key needs that key');
    const back = await alice.call(`sessions/${sessionId}`, {
      headers: { cookie: '', 'call-session-key': key, [SESSION_LOCK_HEADER]: lock },
    });
    assert.equal(back.status, 200, JSON.stringify(back.json));
    const next = await alice.call(`sessions/${sessionId}`, {
      headers: { cookie: '', 'call-session-key': key },
    });
    assert.equal(next.status, 200, 'the key alone works again once re-registered');
  });

  it('reports a session the SFU answers 410 for as gone', async () => {
    const sessionId = await alice.newSession();
    h.upstream.scriptNext({
      status: 410,
      body: JSON.stringify({ errorCode: 'session_error', errorDescription: 'gone' }),
      headers: { 'content-type': 'application/json' },
    });
    const { status } = await alice.call(`sessions/${sessionId}`);
    assert.equal(status, 410);
    assert.deepEqual(h.goneSessions, [sessionId]);
  });
});
