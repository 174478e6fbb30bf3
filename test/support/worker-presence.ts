// The Worker stack as presence tests need it: test secrets, an SFU upstream nothing listens on, and the room
// objects' test hooks on. The presence clock of the objects follows the test's clock at every harness call.
import type { Clock } from '../../server/core/clock.js';
import type { SessionOwner } from '../../server/core/session-registry.js';
import type { RoomInspection } from '../../server/workers/room-inspection.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from './test-secrets.js';
import { startWorkerStack, type WorkerStack, type WorkerStackOptions } from './worker-stack.js';

export interface PresenceWorker {
  readonly stack: WorkerStack;
  readonly url: string;
  recordSession(sessionId: string, owner: SessionOwner): Promise<void>;
  isPublished(room: string, sessionId: string, trackName: string): Promise<boolean>;
  inspect(room: string): Promise<RoomInspection>;
  sweep(room: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPresenceWorker(
  options: { now?: Clock; joinTimeoutMs?: number; vars?: Record<string, string> } & Partial<
    Omit<WorkerStackOptions, 'vars'>
  > = {},
): Promise<PresenceWorker> {
  const stack = await startWorkerStack({
    ...options,
    vars: {
      CALL_TOKEN_SECRET: TEST_TOKEN_SECRET,
      CALLS_APP_ID: TEST_SFU_APP_ID,
      CALLS_APP_SECRET: TEST_SFU_APP_SECRET,
      CALLS_API_BASE_URL: 'http://127.0.0.1:9/v1',
      PRESENCE_SWEEP_INTERVAL_MS: '0',
      TEST_HOOKS: 'on',
      ...(options.joinTimeoutMs === undefined
        ? {}
        : { PRESENCE_JOIN_TIMEOUT_MS: String(options.joinTimeoutMs) }),
      ...options.vars,
    },
  });
  // The objects' clock stands still at the test's time from the start, and moves when the test's does.
  const now = options.now;
  const synced = async (room: string) => {
    if (now) await stack.rpc(room, 'setClockForTests', now());
  };
  await synced('test-clock');
  return {
    stack,
    url: stack.url,
    async recordSession(sessionId, owner) {
      await synced(owner.room);
      await stack.rpc(owner.room, 'recordSession', sessionId, owner);
    },
    isPublished: (room, sessionId, trackName) => stack.rpc(room, 'isPublished', room, sessionId, trackName),
    inspect: (room) => stack.rpc(room, 'inspect'),
    async sweep(room) {
      await synced(room);
      await stack.rpc(room, 'sweepForTests');
    },
    close: () => stack.close(),
  };
}
