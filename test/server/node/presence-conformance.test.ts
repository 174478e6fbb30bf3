// The presence conformance suite against the Node adapter: the real call server, real WebSockets.
import { startPresenceCallServer } from '../../support/presence-call-server.js';
import { presenceConformance } from '../presence-conformance.js';

presenceConformance('Node ws', async ({ tokenSecret, now, joinTimeoutMs, messageRate }) => {
  const server = await startPresenceCallServer({
    tokenSecret,
    now,
    presence: { sweepIntervalMs: 0, joinTimeoutMs, messageRate },
  });
  return {
    url: server.url,
    origin: server.url,
    recordSession: (sessionId, owner) => server.sessions.record(sessionId, owner),
    isPublished: (room, sessionId, trackName) => server.directory.isPublished(room, sessionId, trackName),
    participantCount: (room) => server.directory.room(room).participantCount,
    sweep: () => server.presence.sweep(), // one process sweeps every room
    close: () => server.close(),
  };
});
