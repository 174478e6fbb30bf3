// The participant view the elements show, built from presence's room state and the media the session holds.
import type { TrackSource } from '../protocol/index.js';
import { publicationKey, type RoomState } from './room-state.js';
import type { CallParticipant, LocalMediaState, VideoSource } from './types.js';

const VIDEO_SOURCES: readonly (readonly [TrackSource, VideoSource])[] = [
  ['camera', 'camera'],
  ['screen-video', 'screen'],
];

export interface ParticipantInputs {
  readonly room: RoomState;
  /** Pulled tracks, keyed like publications (`participantId/source`). */
  readonly remoteTracks: ReadonlyMap<string, MediaStreamTrack>;
  /** The local previews. */
  readonly localTracks: Partial<Record<VideoSource, MediaStreamTrack>>;
  readonly local: LocalMediaState;
  readonly speaking: ReadonlySet<string>;
  /** Remote participants whose video is pulled. */
  readonly stage: readonly string[];
}

/**
 * Everyone in the room, the local participant first, then by join time. Pure. A remote participant's mic or
 * camera counts as on only while its state says so and the track is published.
 */
export function buildParticipants(inputs: ParticipantInputs): CallParticipant[] {
  const { room, remoteTracks, localTracks, local, speaking } = inputs;
  const stage = new Set(inputs.stage);
  const list = [...room.participants.values()].map((p): CallParticipant => {
    const isLocal = p.id === room.selfId;
    const published = (source: TrackSource) => room.publications.has(publicationKey(p.id, source));
    const video: Partial<Record<VideoSource, MediaStreamTrack>> = {};
    for (const [source, videoSource] of VIDEO_SOURCES) {
      const track = isLocal ? localTracks[videoSource] : remoteTracks.get(publicationKey(p.id, source));
      if (track) video[videoSource] = track;
    }
    return {
      id: p.id,
      name: p.name,
      isLocal,
      joinedAt: p.joinedAt,
      micOn: isLocal ? local.micOn : p.state.micOn && published('microphone'),
      cameraOn: isLocal ? local.cameraOn : p.state.cameraOn && published('camera'),
      screenOn: isLocal ? local.screenOn : published('screen-video'),
      // Heard here, or (for someone whose audio isn't pulled) as they announce it themselves.
      speaking: speaking.has(p.id) || (!isLocal && p.state.speaking),
      handRaised: p.state.handRaised,
      onStage: isLocal || stage.has(p.id),
      ...(p.badge === 'streaming' ? { streaming: true } : {}),
      video,
      audio: isLocal ? undefined : remoteTracks.get(publicationKey(p.id, 'microphone')),
    };
  });
  return list.sort((a, b) => Number(b.isLocal) - Number(a.isLocal) || a.joinedAt - b.joinedAt);
}
