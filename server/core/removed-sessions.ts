// The SFU sessions of a participant a host removed: those their publications name, and the newest one they
// created in the room (which carries their pulls even when they published nothing).
import type { MemberRemoval } from './room-presence.js';
import type { SessionOwner } from './session-registry.js';

export interface LatestSessionLookup {
  latestSessionOf(owner: SessionOwner): string | undefined;
}

export function sessionsOfRemoved(removal: MemberRemoval, sessions: LatestSessionLookup): string[] {
  const ids = new Set(removal.publications.map((p) => p.sessionId));
  const latest = sessions.latestSessionOf({ userId: removal.userId, room: removal.room });
  if (latest !== undefined) ids.add(latest);
  return [...ids];
}
