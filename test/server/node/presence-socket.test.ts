// What only the Node adapter does: the HTTP upgrade and its Origin check. Everything a frame means is in
// presence-conformance.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallServer } from '../../../server/node/call-server.js';
import { startPresenceCallServer } from '../../support/presence-call-server.js';
import { PresenceTestClient } from '../../support/presence-test-client.js';

describe('presence over WebSocket', () => {
  let server: CallServer;
  let origin: string;
  const clients: PresenceTestClient[] = [];

  // `null` sends no Origin header at all.
  const open = async (roomName: string, withOrigin: string | null = origin) => {
    const client = await PresenceTestClient.open(server.url, roomName, withOrigin ?? undefined);
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startPresenceCallServer({ presence: { sweepIntervalMs: 0 } });
    origin = server.url;
  });

  after(async () => {
    for (const client of clients) client.ws.terminate();
    await server.close();
  });

  it('refuses handshakes from other origins (CSWSH) with 403, token or not', async () => {
    await assert.rejects(open('room-1', 'http://evil.test'), /HTTP 403/);
    await assert.rejects(open('room-1', null), /HTTP 403/);
    await assert.rejects(open('', origin), /HTTP 404/);
    const ok = await open('room-1');
    assert.equal(ok.ws.readyState, ok.ws.OPEN);
  });
});
