// Finding 1 of the reliability review: members that never read their sockets must not make the server's
// memory grow while others send allowed updates. What waits for one socket is capped (the transport's
// bufferedAmount), state updates coalesce (the latest state wins, once per tick), and a socket that stays over
// the cap is closed with 4429; everyone else carries on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParticipantState } from '../../../src/protocol/schemas.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';
import { PROTOCOL_VERSION as v } from '../../../src/protocol/version.js';
import { startCoreHarness, type FakeTransport } from '../../support/presence-core-harness.js';

/** The participant-state frames a transport got, as the latest state per participant. */
function latestStates(transport: FakeTransport): Map<string, ParticipantState> {
  const states = new Map<string, ParticipantState>();
  for (const m of transport.sent) if (m.type === 'participant-state') states.set(m.participantId, m.state);
  return states;
}

const stateFrame = (micOn: boolean, handRaised: boolean) =>
  JSON.stringify({ v, type: 'update-state', state: { micOn, handRaised } });

describe('presence: backpressure', () => {
  it('caps what waits for members that never read, closes them with 4429, and leaves readers whole', async () => {
    const h = startCoreHarness();
    const senders = await Promise.all(Array.from({ length: 10 }, (_, i) => h.join(`sender-${i}`)));
    const readers = await Promise.all(Array.from({ length: 5 }, (_, i) => h.join(`reader-${i}`)));
    const slow = await Promise.all(Array.from({ length: 40 }, (_, i) => h.join(`slow-${i}`)));
    for (const s of slow) s.transport.reading = false;

    // 19 updates a second from each sender (under the 20/s allowance) for 40 simulated seconds.
    const last = new Map<string, ParticipantState>();
    let tick = 0;
    for (; tick < 40 * 19; tick++) {
      h.timers.advance(1000 / 19);
      for (const [i, s] of senders.entries()) {
        const micOn = tick % 2 === 0;
        const handRaised = tick % 3 === 0;
        s.connection.receive(stateFrame(micOn, handRaised));
        last.set(`sender-${i}`, { micOn, cameraOn: false, speaking: false, handRaised });
      }
      await Promise.all(senders.map((s) => s.connection.idle));
      await h.settle();
    }

    const maxBuffered = Math.max(...slow.map((s) => s.transport.bufferedAmount));
    const maxWritten = Math.max(...slow.map((s) => s.transport.sentBytes));
    const written = readers[0]!.transport.sentBytes;
    for (const s of slow) assert.deepEqual(s.transport.closeCodes, [PresenceCloseCode.slowReader]);
    assert.ok(maxBuffered <= 512 * 1024, `a slow reader holds ${maxBuffered} bytes`);
    assert.ok(maxWritten < written / 2, `a slow reader was written ${maxWritten} bytes, a reader ${written}`);
    for (const s of [...senders, ...readers]) assert.deepEqual(s.transport.closeCodes, []);
    for (const r of readers) {
      const states = latestStates(r.transport);
      for (const [id, state] of last) assert.deepEqual(states.get(id), state, `${id} as a reader sees it`);
    }
  });

  it('coalesces a burst of updates to one state frame per participant per tick', async () => {
    const h = startCoreHarness();
    const senders = await Promise.all(Array.from({ length: 10 }, (_, i) => h.join(`sender-${i}`)));
    const reader = await h.join('reader');
    const before = reader.transport.sent.length;
    // Five changes from each sender land in the same tick (one TCP read can carry many frames).
    for (let round = 0; round < 5; round++) {
      for (const s of senders) s.connection.receive(stateFrame(round % 2 === 0, round === 4));
    }
    await Promise.all(senders.map((s) => s.connection.idle));
    await h.settle();
    const frames = reader.transport.sent.slice(before).filter((m) => m.type === 'participant-state');
    assert.ok(frames.length <= senders.length, `${frames.length} state frames for ${senders.length} senders`);
    const states = latestStates(reader.transport);
    for (let i = 0; i < senders.length; i++) {
      assert.deepEqual(states.get(`sender-${i}`), {
        micOn: true,
        cameraOn: false,
        speaking: false,
        handRaised: true,
      });
    }
  });

  it('keeps a reader that lags over the cap but catches up within the grace period', async () => {
    const h = startCoreHarness({ outbox: { maxBufferedBytes: 4096, slowReaderGraceMs: 10_000 } });
    const sender = await h.join('sender');
    const lagging = await h.join('lagging');
    lagging.transport.reading = false;
    const update = async (i: number) => {
      h.timers.advance(1000 / 19);
      sender.connection.receive(stateFrame(i % 2 === 0, i % 5 === 0));
      await sender.connection.idle;
      await h.settle();
    };
    for (let i = 0; i < 19 * 5; i++) await update(i); // 5 s without reading
    assert.ok(lagging.transport.bufferedAmount >= 4096, 'it went over the cap');
    assert.ok(lagging.transport.bufferedAmount < 4096 + 1024, 'and nothing more was written after that');
    lagging.transport.drain();
    for (let i = 0; i < 19 * 10; i++) await update(19 * 5 + i);
    h.timers.advance(1_000);
    await h.settle();
    assert.deepEqual(lagging.transport.closeCodes, []);
    assert.deepEqual(latestStates(lagging.transport).get('sender'), {
      micOn: (19 * 15 - 1) % 2 === 0,
      cameraOn: false,
      speaking: false,
      handRaised: (19 * 15 - 1) % 5 === 0,
    });
  });
});
