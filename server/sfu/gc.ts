// Garbage-collection rules: decides which sessions and publications to drop (the caller drops them). Not
// pure: each pass updates the SessionHealth it is given (last activity, since when the peer looked broken).
import { DEAD_SESSION_GRACE_MS, SILENT_SESSION_MS, TRACK_IDLE_MS, UNCONNECTED_SESSION_MS } from './limits.js';
import type { Publication } from './publication.js';
import type { Session } from './session.js';

/** What the collector remembers about a session between passes. */
export interface SessionHealth {
  lastActivity: number;
  lastActivityAt: number;
  /** Since when the PeerConnection or its DTLS transport has looked dead. */
  badSince?: number;
}

export interface GarbageVerdict {
  deadSessions: Session[];
  idlePublications: Publication[];
}

/**
 * - A session that never negotiates or never connects is dropped after `UNCONNECTED_SESSION_MS`.
 * - A PeerConnection that is failed/closed, or whose DTLS transport is closed, for `DEAD_SESSION_GRACE_MS`
 *   is dropped (werift can flip failed → connected within milliseconds, so one event is not enough).
 * - A connected browser that sends nothing at all (no STUN consent checks, no RTCP) for
 *   `SILENT_SESSION_MS` is gone: a closed tab often says nothing.
 * - A publication without media for `TRACK_IDLE_MS` is closed (Cloudflare's 30 s rule).
 */
export function collectGarbage(
  sessions: Iterable<Session>,
  publications: Iterable<Publication>,
  health: Map<string, SessionHealth>,
  now: number,
): GarbageVerdict {
  const deadSessions: Session[] = [];
  for (const session of sessions) {
    const h = health.get(session.id);
    if (!h) continue;
    if (isDead(session, h, now)) deadSessions.push(session);
  }
  const idlePublications = [...publications].filter(
    (p) => !p.closed && now - (p.lastPacketAt || p.createdAt) > TRACK_IDLE_MS,
  );
  return { deadSessions, idlePublications };
}

function isDead(session: Session, h: SessionHealth, now: number): boolean {
  const peer = session.peer;
  if (!peer?.connectedOnce) {
    const since = peer?.negotiatedAt ?? session.createdAt;
    return now - since > UNCONNECTED_SESSION_MS;
  }
  const activity = peer.activityCount();
  if (activity !== h.lastActivity) {
    h.lastActivity = activity;
    h.lastActivityAt = now;
  }
  if (now - h.lastActivityAt > SILENT_SESSION_MS) return true;
  if (!peer.looksBroken()) {
    h.badSince = undefined;
    return false;
  }
  h.badSince ??= now;
  return now - h.badSince > DEAD_SESSION_GRACE_MS;
}
