// The presence conformance suite against the Worker: the Room Durable Object in workerd (Miniflare), real
// WebSockets through the Worker entry, the same assertions as for Node.
import assert from 'node:assert/strict';
import { startPresenceWorker } from '../../support/worker-presence.js';
import { presenceConformance } from '../presence-conformance.js';

presenceConformance(
  'Workers (Room Durable Object in workerd)',
  async ({ tokenSecret, now, joinTimeoutMs, messageRate }) => {
    // The object runs the core's defaults for these; the suite must ask for the same.
    assert.deepEqual(messageRate, { capacity: 40, refillPerSecond: 20 });
    const worker = await startPresenceWorker({
      now,
      joinTimeoutMs,
      vars: { CALL_TOKEN_SECRET: tokenSecret },
    });
    return {
      url: worker.url,
      origin: worker.url,
      recordSession: (sessionId, owner) => worker.recordSession(sessionId, owner),
      isPublished: (room, sessionId, trackName) => worker.isPublished(room, sessionId, trackName),
      participantCount: async (room) => (await worker.inspect(room)).participants,
      sweep: (room) => worker.sweep(room),
      close: () => worker.close(),
    };
  },
);
