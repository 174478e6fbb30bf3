// A machine that vanishes (sleeps, freezes, loses its network) keeps its presence socket open and says
// nothing. The Node adapter pings every socket; one that answers no ping for a while is dropped and its
// participant times out at once, instead of after the heartbeat timeout's minute. A socket that answers
// pings but sends no frame (a throttled background tab) stays.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallServer } from '../../../server/node/call-server.js';
import { startPresenceCallServer } from '../../support/presence-call-server.js';
import { testToken } from '../../support/presence-fixtures.js';
import { PresenceTestClient } from '../../support/presence-test-client.js';

const ROOM = 'vanish';
const PING_MS = 100;
const UNANSWERED_MS = 400;

describe('presence over WebSocket: unanswered pings', () => {
  let server: CallServer;
  const clients: PresenceTestClient[] = [];
  const join = async (userId: string) => {
    const token = await testToken(ROOM, userId, () => Date.now());
    const client = await PresenceTestClient.join(server.url, ROOM, server.url, token);
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startPresenceCallServer({
      presence: { sweepIntervalMs: 0, pingIntervalMs: PING_MS, unansweredPingMs: UNANSWERED_MS },
    });
  });

  after(async () => {
    for (const client of clients) client.ws.terminate();
    await server.close();
  });

  it('drops a socket that answers no ping, and the others see its participant time out', async () => {
    const stays = await join('stays');
    const frozen = await join('frozen');
    await stays.next('participant-joined');
    frozen.ws.pause(); // reads nothing more: no pong, as when the machine froze
    const frozenAt = Date.now();
    const left = await stays.next('participant-left', 5_000);
    const tookMs = Date.now() - frozenAt;
    assert.equal(left.participantId, 'frozen');
    assert.equal(left.reason, 'timeout');
    assert.ok(tookMs >= UNANSWERED_MS - PING_MS, `not before the pings went unanswered (${tookMs} ms)`);
    assert.ok(tookMs < 3_000, `soon after (${tookMs} ms)`);
    frozen.ws.resume();
    await frozen.closed; // the server dropped the socket: there is nothing to resume
  });

  it('keeps a socket that answers pings though it sends no frame for many ping intervals', async () => {
    const quiet = await join('quiet');
    await new Promise((resolve) => setTimeout(resolve, UNANSWERED_MS * 4));
    assert.equal(quiet.ws.readyState, quiet.ws.OPEN);
    await quiet.roundTrip();
    assert.equal(
      quiet.messages.some((m) => m.type === 'participant-left' && m.participantId === 'quiet'),
      false,
    );
  });
});
