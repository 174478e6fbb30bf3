// What a WHEP viewer can watch in a room: who is there, what they publish, and whose picture is the room's
// "stage" when the viewer names nobody. Pure, apart from reading the directory.
import type { Participant, Publication } from '../../src/protocol/schemas.js';
import type { PresenceDirectory } from './presence-directory.js';

/** A room's members and publications right now; an unknown room is empty. */
export interface RoomSnapshot {
  readonly participants: readonly Participant[];
  readonly publications: readonly Publication[];
}

export interface RoomStreams {
  snapshot(room: string): RoomSnapshot;
}

/** The tracks a viewer gets: one video and one audio at most. */
export interface StreamSource {
  readonly participantId: string;
  readonly tracks: readonly Publication[];
}

/** RoomStreams on the process's presence directory (reading never keeps an empty room alive). */
export function directoryRoomStreams(directory: PresenceDirectory): RoomStreams {
  return {
    snapshot(room) {
      const presence = directory.room(room);
      const snapshot = { participants: presence.participants(), publications: presence.publications() };
      directory.releaseIfEmpty(room);
      return snapshot;
    },
  };
}

/**
 * The named participant's picture and sound, or the stage's when no one is named: the newest WHIP stream, else
 * whoever shares a screen, else whoever has been publishing video longest. Undefined when there is nothing to
 * watch. A shared screen wins over the camera; the microphone over screen audio.
 */
export function pickStreamSource(snapshot: RoomSnapshot, participantId?: string): StreamSource | undefined {
  const tracksOf = (id: string) => snapshot.publications.filter((p) => p.participantId === id);
  const choose = (id: string): StreamSource | undefined => {
    const tracks = tracksOf(id);
    const video =
      tracks.find((t) => t.source === 'screen-video') ?? tracks.find((t) => t.source === 'camera');
    const audio =
      tracks.find((t) => t.source === 'microphone') ?? tracks.find((t) => t.source === 'screen-audio');
    const chosen = [video, audio].filter((t): t is Publication => t !== undefined);
    return chosen.length > 0 ? { participantId: id, tracks: chosen } : undefined;
  };
  if (participantId !== undefined) {
    return snapshot.participants.some((p) => p.id === participantId) ? choose(participantId) : undefined;
  }
  const byJoin = [...snapshot.participants].sort((a, b) => a.joinedAt - b.joinedAt);
  const publishes = (id: string, source: Publication['source']) =>
    snapshot.publications.some((p) => p.participantId === id && p.source === source);
  const stage =
    [...byJoin].reverse().find((p) => p.badge === 'streaming' && tracksOf(p.id).length > 0) ??
    byJoin.find((p) => publishes(p.id, 'screen-video')) ??
    byJoin.find((p) => publishes(p.id, 'camera')) ??
    byJoin.find((p) => tracksOf(p.id).length > 0);
  return stage ? choose(stage.id) : undefined;
}
