// `GET /rooms/:room` on the real Node call server: who is in the room before joining, with the room's token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallServer } from '../../../server/node/call-server.js';
import { startPresenceCallServer } from '../../support/presence-call-server.js';
import { testToken as signed } from '../../support/presence-fixtures.js';
import type { CreateCallTokenOptions } from '../../../server/core/call-token.js';

const testToken = (userId: string, overrides: Partial<CreateCallTokenOptions> = {}) =>
  signed(overrides.room ?? 'standup', userId, Date.now, overrides);
import { PresenceTestClient } from '../../support/presence-test-client.js';

describe('GET /rooms/:room (the lobby)', () => {
  let server: CallServer;
  let ada: PresenceTestClient;

  before(async () => {
    server = await startPresenceCallServer();
    ada = await PresenceTestClient.join(
      server.url,
      'standup',
      server.url,
      await testToken('ada', { name: 'Ada' }),
    );
  });

  after(async () => {
    await ada?.close();
    await server?.close();
  });

  const lobby = (room: string, token?: string) =>
    fetch(`${server.url}/rooms/${encodeURIComponent(room)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('lists who is in the room, names only, to a holder of its token, without joining', async () => {
    const response = await lobby('standup', await testToken('grace', { canPublish: false }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { participants: [{ id: 'ada', name: 'Ada' }], audience: 0 });
    const again = (await (await lobby('standup', await testToken('grace'))).json()) as {
      participants: unknown[];
    };
    assert.equal(again.participants.length, 1, 'reading joined nobody');
  });

  it('answers an empty room without creating it', async () => {
    const response = await lobby('empty', await testToken('grace', { room: 'empty' }));
    assert.deepEqual(await response.json(), { participants: [], audience: 0 });
  });

  it('refuses a missing or bad token with 401 and another room’s token with 403, as JSON', async () => {
    for (const [token, status] of [
      [undefined, 401],
      ['garbage', 401],
      [await testToken('grace', { room: 'other' }), 403],
    ] as const) {
      const response = await lobby('standup', token);
      assert.equal(response.status, status, String(token).slice(0, 10));
      const body = (await response.json()) as { errorCode: string; errorDescription: string };
      assert.equal(typeof body.errorCode, 'string');
      assert.equal(typeof body.errorDescription, 'string');
    }
  });

  it('keeps the WebSocket upgrade on the same path', async () => {
    const bob = await PresenceTestClient.join(server.url, 'standup', server.url, await testToken('bob'));
    const people = (await (await lobby('standup', await testToken('grace'))).json()) as {
      participants: { id: string }[];
    };
    assert.deepEqual(people.participants.map((p) => p.id).sort(), ['ada', 'bob']);
    await bob.close();
  });
});
