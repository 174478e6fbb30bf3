// A room member the server adds itself: a WHIP stream (e.g. OBS). It joins through the same presence machinery
// as a browser (a PresenceConnection whose transport goes nowhere), with the `streaming` badge, announces its
// tracks like a browser would, and leaves when its stream ends or the room drops it.
import { encodeMessage } from '../../src/protocol/codec.js';
import type { TrackKind } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { CallTokenClaims } from './call-token.js';
import type { PresenceHub } from './presence-hub.js';

/** One track of the stream, as the SFU published it. */
export interface StreamTrack {
  readonly sessionId: string;
  readonly trackName: string;
  readonly kind: TrackKind;
}

/** The stream's place in the room. */
export interface StreamMember {
  /** Tells the room about the stream's tracks (audio as the microphone, video as the camera). */
  announce(tracks: readonly StreamTrack[]): void;
  /** The stream is still alive: keeps the member past the presence heartbeat timeout. */
  touch(): void;
  /** Leaves the room. Safe to call more than once. */
  leave(): void;
}

/** How the WHIP route puts a stream into a room; the Node adapter and a Durable Object each provide one. */
export interface StreamPresence {
  /**
   * Joins `room` as `claims` describe (already verified). `onRemoved` runs if the room drops the member by
   * itself (replaced by a newer connection of the same id, or timed out), not after `leave()`.
   */
  join(room: string, claims: CallTokenClaims, onRemoved: () => void): StreamMember;
}

/** A StreamPresence on a PresenceHub (one process, or one room object). */
export function hubStreamPresence(hub: PresenceHub): StreamPresence {
  return {
    join(room, claims, onRemoved) {
      let gone = false;
      const connection = hub.open(room, {
        send: () => undefined, // nobody reads what the room tells a stream
        close: () => {
          if (gone) return;
          gone = true;
          connection.ended();
          onRemoved();
        },
      });
      connection.admit(claims, 'streaming');
      const say = (message: Parameters<typeof encodeMessage>[0]) =>
        connection.receive(encodeMessage(message));
      return {
        announce(tracks) {
          const audio = tracks.find((t) => t.kind === 'audio');
          const video = tracks.find((t) => t.kind === 'video');
          if (audio)
            say({ v: PROTOCOL_VERSION, type: 'publish', track: { ...pick(audio), source: 'microphone' } });
          if (video)
            say({ v: PROTOCOL_VERSION, type: 'publish', track: { ...pick(video), source: 'camera' } });
          say({ v: PROTOCOL_VERSION, type: 'update-state', state: { micOn: !!audio, cameraOn: !!video } });
        },
        touch: () => connection.touch(),
        leave() {
          if (gone) return;
          gone = true;
          connection.ended();
        },
      };
    },
  };
}

function pick(track: StreamTrack): StreamTrack {
  return { sessionId: track.sessionId, trackName: track.trackName, kind: track.kind };
}
