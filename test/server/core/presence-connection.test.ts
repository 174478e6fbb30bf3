// The runtime-neutral presence connection, driven through fake transports: no sockets, no real timers.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { CreateCallTokenOptions } from '../../../server/core/call-token.js';
import { PresenceConnection } from '../../../server/core/presence-connection.js';
import { PresenceDirectory } from '../../../server/core/presence-directory.js';
import { PresenceHub } from '../../../server/core/presence-hub.js';
import type { PresenceTransport } from '../../../server/core/presence-transport.js';
import type { Schedule } from '../../../server/core/schedule.js';
import { SessionRegistry } from '../../../server/core/session-registry.js';
import { decodeServerMessage } from '../../../src/protocol/codec.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import { MAX_FRAME_BYTES } from '../../../src/protocol/limits.js';
import type { ServerMessage } from '../../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { ManualClock, testToken } from '../../support/presence-fixtures.js';
import { TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

class FakeTransport implements PresenceTransport {
  readonly sent: ServerMessage[] = [];
  readonly closes: { code: number; reason: string }[] = [];
  send(text: string): void {
    const decoded = decodeServerMessage(text);
    assert.ok(decoded.ok, text);
    this.sent.push(decoded.message);
  }
  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
  }
  get types(): string[] {
    return this.sent.map((m) => m.type);
  }
}

/** Timers that fire only when the test says so. */
class ManualSchedule {
  readonly pending = new Set<() => void>();
  readonly schedule: Schedule = (_ms, callback) => {
    this.pending.add(callback);
    return () => this.pending.delete(callback);
  };
  fireAll(): void {
    for (const callback of [...this.pending]) callback();
  }
}

describe('PresenceConnection', () => {
  let clock: ManualClock;
  let timers: ManualSchedule;
  let sessions: SessionRegistry;
  let directory: PresenceDirectory;
  let hub: PresenceHub;

  const token = (userId: string, overrides: Partial<CreateCallTokenOptions> = {}) =>
    testToken('A', userId, clock.now, overrides);
  const open = () => {
    const transport = new FakeTransport();
    return { transport, connection: hub.open('A', transport) };
  };
  const join = async (userId: string) => {
    const opened = open();
    opened.connection.receive(JSON.stringify({ v, type: 'join', token: await token(userId) }));
    await opened.connection.idle;
    assert.deepEqual(opened.transport.types, ['hello']);
    return opened;
  };

  beforeEach(() => {
    clock = new ManualClock();
    timers = new ManualSchedule();
    sessions = new SessionRegistry({ now: clock.now });
    directory = new PresenceDirectory({ now: clock.now, sessions });
    hub = new PresenceHub({
      directory,
      tokenSecret: TEST_TOKEN_SECRET,
      now: clock.now,
      schedule: timers.schedule,
      messageRate: { capacity: 5, refillPerSecond: 1 },
    });
  });

  it('handles frames in order although join awaits token verification', async () => {
    const { transport, connection } = open();
    connection.receive(JSON.stringify({ v, type: 'join', token: await token('alice') }));
    connection.receive(JSON.stringify({ v, type: 'ping' }));
    await connection.idle;
    assert.deepEqual(transport.types, ['hello', 'pong']);
    assert.ok(connection.joined);
  });

  it('closes before joining: 4401 for anything but a join, 4400 for another protocol version', async () => {
    const cases: [string | Uint8Array, number][] = [
      [JSON.stringify({ v, type: 'ping' }), PresenceCloseCode.unauthorized],
      ['not json', PresenceCloseCode.unauthorized],
      [new Uint8Array([1, 2, 3]), PresenceCloseCode.unauthorized],
      [JSON.stringify({ v: 99, type: 'join', token: 'x' }), PresenceCloseCode.protocolError],
    ];
    for (const [frame, code] of cases) {
      const { transport, connection } = open();
      connection.receive(frame);
      await connection.idle;
      assert.deepEqual(
        transport.closes.map((c) => c.code),
        [code],
        String(frame),
      );
      assert.deepEqual(transport.sent, []);
    }
  });

  it('maps refused tokens to close codes: another room 4403, forged or expired 4401', async () => {
    const expired = await token('old', { ttlSeconds: 60, now: () => clock.now() - 3_600_000 });
    const cases: [string, number][] = [
      [await token('mallory', { room: 'B' }), PresenceCloseCode.forbidden],
      ['forged.token.value', PresenceCloseCode.unauthorized],
      [expired, PresenceCloseCode.unauthorized],
    ];
    for (const [candidate, code] of cases) {
      const { transport, connection } = open();
      connection.receive(JSON.stringify({ v, type: 'join', token: candidate }));
      await connection.idle;
      assert.equal(transport.closes[0]?.code, code);
      assert.doesNotMatch(transport.closes[0]?.reason ?? '', /\./, 'the reason never echoes the token');
      assert.equal(connection.joined, false);
    }
    assert.equal(directory.roomCount, 0);
  });

  it('closes with 4401 when no join arrives in time, and cancels the timer once joined', async () => {
    const { transport } = open();
    const alice = await join('alice');
    // The silent connection's join timer, and alice's token-expiry timer (her join timer is gone).
    assert.equal(timers.pending.size, 2);
    timers.fireAll();
    assert.deepEqual(transport.closes, [
      { code: PresenceCloseCode.unauthorized, reason: 'no join frame in time' },
    ]);
    assert.deepEqual(
      alice.transport.closes.map((c) => c.code),
      [PresenceCloseCode.tokenExpired],
      'not 4401: her join timer was cancelled',
    );
  });

  it('closes with 1008 past the frame rate and reads nothing after', async () => {
    const { transport, connection } = await join('alice');
    const ping = JSON.stringify({ v, type: 'ping' });
    for (let i = 0; i < 4; i++) connection.receive(ping);
    await connection.idle;
    assert.equal(transport.types.filter((t) => t === 'pong').length, 4, 'the join took one token of five');
    connection.receive(ping);
    connection.receive(ping);
    await connection.idle;
    assert.deepEqual(transport.closes, [
      { code: PresenceCloseCode.rateLimited, reason: 'too many messages' },
    ]);
    assert.equal(transport.types.filter((t) => t === 'pong').length, 4);
  });

  it('closes with 1009 on a frame over the byte cap, counting UTF-8 bytes', async () => {
    const frames = [
      'x'.repeat(MAX_FRAME_BYTES + 1),
      'é'.repeat(MAX_FRAME_BYTES / 2 + 1),
      new Uint8Array(MAX_FRAME_BYTES + 1),
    ];
    for (const frame of frames) {
      const { transport, connection } = await join('alice');
      connection.receive(frame);
      assert.deepEqual(
        transport.closes.map((c) => c.code),
        [PresenceCloseCode.frameTooBig],
      );
    }
    const { transport, connection } = await join('bob');
    connection.receive(JSON.stringify({ v, type: 'ping', pad: 'é'.repeat(MAX_FRAME_BYTES / 4) }));
    await connection.idle;
    assert.deepEqual(transport.closes, [], 'multi-byte text under the cap passes');
  });

  it('answers bad frames after joining with an error frame and stays open', async () => {
    const { transport, connection } = await join('alice');
    connection.receive(new Uint8Array([0xde, 0xad]));
    connection.receive(JSON.stringify({ v, type: 'join', token: await token('alice') }));
    connection.receive('{"v":1,"type":"mute-everyone"}');
    await connection.idle;
    assert.deepEqual(
      transport.sent.flatMap((m) => (m.type === 'error' ? [m.code] : [])),
      ['bad-request', 'not-joined', 'bad-request'],
    );
    assert.deepEqual(transport.closes, []);
  });

  it('delivers room effects to the other connections, and a replaced tab is closed with 4409', async () => {
    const tab1 = await join('alice');
    const bob = await join('bob');
    await join('alice');
    assert.deepEqual(tab1.transport.closes, [
      { code: PresenceCloseCode.replaced, reason: 'replaced by a newer connection' },
    ]);
    assert.deepEqual(bob.transport.types, ['hello', 'participant-left', 'participant-joined']);
  });

  it('leaves the room when the socket ends, once, and forgets the connection', async () => {
    const alice = await join('alice');
    const bob = await join('bob');
    assert.equal(hub.connectionCount, 2);
    alice.connection.ended();
    alice.connection.ended();
    await bob.connection.idle; // frames go out once per tick
    assert.deepEqual(bob.transport.types, ['hello', 'participant-left']);
    assert.equal(hub.connectionCount, 1);
    bob.connection.ended();
    assert.equal(directory.roomCount, 0, 'an empty room is released');
    assert.equal(timers.pending.size, 0);
  });

  it('counts a pong as a sign of life, so the sweep spares it', async () => {
    const alice = await join('alice');
    const silent = await join('silent');
    clock.advance(80_000);
    alice.connection.touch();
    clock.advance(20_000);
    hub.sweep();
    assert.deepEqual(alice.transport.closes, []);
    assert.deepEqual(
      silent.transport.closes.map((c) => c.code),
      [PresenceCloseCode.heartbeatTimeout],
    );
  });

  it('closes with 1011 when handling a frame throws, without a stack trace', async () => {
    const transport = new FakeTransport();
    const connection = new PresenceConnection(
      'c1',
      'A',
      transport,
      {
        directory,
        deliver: () => {
          throw new Error('boom at room.ts:1');
        },
        forget: () => undefined,
        requestFlush: (outbox) => outbox.flush(),
        flushed: Promise.resolve(),
      },
      {
        tokenSecret: TEST_TOKEN_SECRET,
        now: clock.now,
        schedule: timers.schedule,
        joinTimeoutMs: 1000,
        messageRate: { capacity: 5, refillPerSecond: 1 },
      },
    );
    connection.receive(JSON.stringify({ v, type: 'join', token: await token('alice') }));
    await connection.idle;
    assert.deepEqual(transport.closes, [{ code: PresenceCloseCode.internalError, reason: 'internal error' }]);
  });
});
