// Browser side of the call-server end-to-end test (bundled with esbuild; not the widget). It follows the
// token-endpoint contract, joins presence over the real WebSocket, pushes its camera through the real
// proxy with partytracks, and pulls every camera the room announces.
import { openBareCall } from './bare-call.js';
import { of, Subscription } from 'rxjs';
import { decodeServerMessage } from '../../src/protocol/codec.js';
import type { Publication } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';

export interface CallPageState {
  selfId?: string;
  roster: string[];
  /** Every server message type received, in order. */
  received: string[];
  errors: string[];
}

declare global {
  interface Window {
    callPage: CallPageState;
    joinCall(room: string, name: string): Promise<string>;
  }
}

window.callPage = { roster: [], received: [], errors: [] };

window.joinCall = async (room, name) => {
  const state = window.callPage;
  const { socket, send, partyTracks } = await openBareCall(room, name);
  socket.addEventListener('close', (event) => state.errors.push(`presence closed ${event.code}`));
  const subscriptions = new Subscription();
  const pulls = new Map<string, Subscription>();

  const pull = (publication: Publication) => {
    if (publication.participantId === state.selfId || publication.kind !== 'video') return;
    const key = `${publication.participantId}/${publication.source}`;
    pulls.get(key)?.unsubscribe();
    const trackData = {
      location: 'remote' as const,
      sessionId: publication.sessionId,
      trackName: publication.trackName,
    };
    const subscription = partyTracks.pull(of(trackData)).subscribe({
      next: (track) => showVideo(publication.participantId, track),
      error: (error: unknown) => state.errors.push(`pull: ${String(error)}`),
    });
    pulls.set(key, subscription);
    subscriptions.add(subscription);
  };

  const joined = new Promise<string>((resolve) => {
    socket.addEventListener('message', (event) => {
      const decoded = decodeServerMessage(String(event.data));
      if (!decoded.ok) return void state.errors.push(`undecodable frame: ${decoded.reason}`);
      const message = decoded.message;
      state.received.push(message.type);
      switch (message.type) {
        case 'hello':
          state.selfId = message.self.id;
          state.roster = message.participants.map((p) => p.id);
          message.publications.forEach(pull);
          resolve(message.self.id);
          break;
        case 'participant-joined':
          state.roster.push(message.participant.id);
          break;
        case 'participant-left':
          state.roster = state.roster.filter((id) => id !== message.participantId);
          break;
        case 'track-published':
          pull(message.publication);
          break;
        case 'error':
          state.errors.push(`${message.code}: ${message.message}`);
          break;
      }
    });
  });

  const media = await navigator.mediaDevices.getUserMedia({
    video: { width: 320, height: 240, frameRate: 15 },
  });
  const [camera] = media.getVideoTracks();
  if (!camera) throw new Error('no camera track');
  const selfId = await joined;
  subscriptions.add(
    partyTracks.push(of(camera)).subscribe({
      next: (metadata) => {
        if (!metadata.sessionId || !metadata.trackName)
          return void state.errors.push('push without metadata');
        send({
          v,
          type: 'publish',
          track: {
            sessionId: metadata.sessionId,
            trackName: metadata.trackName,
            kind: 'video',
            source: 'camera',
          },
        });
      },
      error: (error: unknown) => state.errors.push(`push: ${String(error)}`),
    }),
  );
  return selfId;
};

function showVideo(participantId: string, track: MediaStreamTrack): void {
  let video = document.querySelector<HTMLVideoElement>(
    `video[data-participant="${CSS.escape(participantId)}"]`,
  );
  if (!video) {
    video = document.createElement('video');
    video.dataset.participant = participantId;
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
    document.body.append(video);
  }
  video.srcObject = new MediaStream([track]);
  video.play().catch((error: unknown) => window.callPage.errors.push(`play: ${String(error)}`));
}
