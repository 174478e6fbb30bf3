// All rooms of one call-server process, created on first join and dropped when empty.
import type { Clock } from './clock.js';
import type { PresenceEffect } from './presence-effects.js';
import { RoomPresence, type HeartbeatOptions, type SessionOwnership } from './room-presence.js';

export interface PresenceDirectoryOptions {
  readonly now: Clock;
  readonly sessions: SessionOwnership;
  readonly heartbeat?: HeartbeatOptions;
  /** See RoomPresenceOptions: where a runtime that can lose its memory saves a member. */
  readonly onMemberChange?: (userId: string) => void;
}

/** Published tracks by room: what the proxy consults before letting anyone pull. */
export interface PublicationLookup {
  isPublished(room: string, sessionId: string, trackName: string): boolean;
}

export class PresenceDirectory implements PublicationLookup {
  readonly #rooms = new Map<string, RoomPresence>();

  constructor(private readonly options: PresenceDirectoryOptions) {}

  /** The room, created if needed. */
  room(name: string): RoomPresence {
    let room = this.#rooms.get(name);
    if (!room) {
      room = new RoomPresence(name, this.options);
      this.#rooms.set(name, room);
    }
    return room;
  }

  /** The room if it exists; never creates one. */
  existing(name: string): RoomPresence | undefined {
    return this.#rooms.get(name);
  }

  /** Forgets the room if nobody is left in it. */
  releaseIfEmpty(name: string): void {
    if (this.#rooms.get(name)?.isEmpty) this.#rooms.delete(name);
  }

  /**
   * Who is in `room` without creating it, what a pre-join screen may show: the listed members by name, and how
   * many viewers watch.
   */
  lobby(room: string): { participants: { id: string; name: string }[]; audience: number } {
    const presence = this.#rooms.get(room);
    const participants = presence?.participants() ?? [];
    return {
      participants: participants.map(({ id, name }) => ({ id, name })),
      audience: presence?.audienceCount ?? 0,
    };
  }

  isPublished(room: string, sessionId: string, trackName: string): boolean {
    return this.#rooms.get(room)?.isPublished(sessionId, trackName) ?? false;
  }

  /** Runs the heartbeat sweep in every room. */
  sweep(): PresenceEffect[] {
    const effects: PresenceEffect[] = [];
    for (const [name, room] of [...this.#rooms]) {
      effects.push(...room.sweep());
      this.releaseIfEmpty(name);
    }
    return effects;
  }

  get roomCount(): number {
    return this.#rooms.size;
  }
}
