// The presence conformance suite against the Node adapter: the real call server, real WebSockets.
import { startCallServer } from '../../../server/node/call-server.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET } from '../../support/test-secrets.js';
import { presenceConformance } from '../presence-conformance.js';

presenceConformance('Node ws', async ({ tokenSecret, now, joinTimeoutMs, messageRate }) => {
  const server = await startCallServer({
    port: 0,
    tokenSecret,
    upstream: {
      appId: TEST_SFU_APP_ID,
      appSecret: TEST_SFU_APP_SECRET,
      realtimeApiBaseUrl: 'http://127.0.0.1:9/v1',
      staticIceServers: [],
    },
    now,
    presence: { sweepIntervalMs: 0, joinTimeoutMs, messageRate },
  });
  return {
    url: server.url,
    origin: server.url,
    recordSession: (sessionId, owner) => server.sessions.record(sessionId, owner),
    isPublished: (room, sessionId, trackName) => server.directory.isPublished(room, sessionId, trackName),
    participantCount: (room) => server.directory.room(room).participantCount,
    sweep: () => server.presence.sweep(),
    close: () => server.close(),
  };
});
