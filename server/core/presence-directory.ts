// All rooms of one call-server process, created on first join and dropped when empty.
import type { Clock } from './clock.js';
import type { PresenceEffect } from './presence-effects.js';
import type { TokenBucketOptions } from './token-bucket.js';
import { RemovalLedger, type RemovalLookup } from './removal-ledger.js';
import {
  RoomPresence,
  type HeartbeatOptions,
  type MemberRemoval,
  type RoomPresenceOptions,
  type SessionOwnership,
} from './room-presence.js';

export interface PresenceDirectoryOptions {
  readonly now: Clock;
  readonly sessions: SessionOwnership;
  readonly heartbeat?: HeartbeatOptions;
  /** See RoomPresenceOptions: where a runtime that can lose its memory saves a member. */
  readonly onMemberChange?: (userId: string) => void;
  /** See RoomPresenceOptions: where a runtime that can lose its memory saves the breakout rooms. */
  readonly onBreakoutsChange?: (room: string) => void;
  /** A host removed a member (see RoomPresenceOptions): where the runtime closes their SFU tracks. */
  readonly onRemoved?: (removal: MemberRemoval) => void;
  /** Reactions per participant (see RoomPresenceOptions). */
  readonly reactionRate?: TokenBucketOptions;
  /** Host removals of every room; default a ledger of this directory's own. */
  readonly removals?: RemovalLedger;
}

/**
 * Published tracks by room: what the proxy consults before letting anyone pull. With `viewerId`, only tracks
 * of members in the viewer's current breakout room count.
 */
export interface PublicationLookup {
  isPublished(room: string, sessionId: string, trackName: string, viewerId?: string): boolean;
}

export class PresenceDirectory implements PublicationLookup, RemovalLookup {
  readonly #rooms = new Map<string, RoomPresence>();
  /** Outlives the rooms: a removed user stays refused after their room emptied. */
  readonly removals: RemovalLedger;
  readonly #roomOptions: RoomPresenceOptions;
  readonly #onBreakoutsChange?: (room: string) => void;

  constructor(options: PresenceDirectoryOptions) {
    this.removals = options.removals ?? new RemovalLedger(options.now);
    this.#roomOptions = { ...options, removals: this.removals, onBreakoutsChange: undefined };
    this.#onBreakoutsChange = options.onBreakoutsChange;
  }

  /** The room, created if needed. */
  room(name: string): RoomPresence {
    let room = this.#rooms.get(name);
    if (!room) {
      const onChange = this.#onBreakoutsChange;
      room = new RoomPresence(name, {
        ...this.#roomOptions,
        ...(onChange && { onBreakoutsChange: () => onChange(name) }),
      });
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
    const room = this.#rooms.get(name);
    if (!room?.isEmpty) return;
    this.#rooms.delete(name);
    // Its breakout rooms go with it: a runtime that saved them must forget them too.
    if (room.breakoutsSnapshot() !== undefined) this.#onBreakoutsChange?.(name);
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

  isRemoved(room: string, userId: string): boolean {
    return this.removals.isRemoved(room, userId);
  }

  isPublished(room: string, sessionId: string, trackName: string, viewerId?: string): boolean {
    return this.#rooms.get(room)?.isPublished(sessionId, trackName, viewerId) ?? false;
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
