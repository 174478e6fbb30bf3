import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { claimsFor } from '../../support/presence-fixtures.js';
import { startProxyHarness, type Caller, type ProxyHarness } from '../../support/proxy-harness.js';

describe('partytracks proxy after a host removal', () => {
  let h: ProxyHarness;
  let bob: Caller;
  let eve: Caller;
  let bobSession: string;

  before(async () => {
    h = await startProxyHarness();
    bob = await h.caller({ userId: 'bob' });
    eve = await h.caller({ userId: 'eve' });
    bobSession = await bob.newSession();
    await eve.newSession();
    const room = h.presence.room('A');
    room.join('c-host', claimsFor('host', { canModerate: true }));
    room.join('c-bob', claimsFor('bob'));
    room.join('c-eve', claimsFor('eve'));
    room.receive('c-host', { v, type: 'moderate', action: 'remove', participantId: 'bob' });
  });

  after(() => h.close());

  it('refuses every further call of the removed user with 403 removed', async () => {
    for (const [path, method] of [
      ['sessions/new', 'POST'],
      [`sessions/${bobSession}`, 'GET'],
      ['generate-ice-servers', 'GET'],
    ] as const) {
      const { status, json } = await bob.call(path, { method });
      assert.equal(status, 403, `${method} ${path}`);
      assert.equal(json.errorCode, 'removed');
      assert.equal(typeof json.errorDescription, 'string');
    }
  });

  it('still serves everyone else', async () => {
    const { status } = await eve.call('sessions/new', { method: 'POST' });
    assert.equal(status, 201);
  });
});
