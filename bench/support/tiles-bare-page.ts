// The tiles benchmark's bare page: the same N remote videos as the widget, pulled with partytracks and shown
// in plain `<video>` elements on a CSS grid of the widget's shape (columns = ⌈√N⌉, filling the viewport). A
// viewer: it joins presence (so it sees the publications), publishes nothing and pulls the first N videos.
import { of } from 'rxjs';
import { openBareCall } from '../../test/support/bare-call.js';
import type { Publication, ServerMessage } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';

const params = new URLSearchParams(location.search);
const room = params.get('room') ?? 'tiles';
const wanted = Number(params.get('n')) || 4;
const fail = (error: unknown) => window.__tiles.errors.push(String(error));

const grid = document.createElement('main');
const columns = Math.ceil(Math.sqrt(wanted));
grid.style.cssText =
  `display:grid;gap:8px;padding:8px;box-sizing:border-box;height:100%;` +
  `grid-template-columns:repeat(${columns},1fr);grid-template-rows:repeat(${Math.ceil(wanted / columns)},1fr)`;
document.body.append(grid);

function show(track: MediaStreamTrack): void {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  video.style.cssText = 'width:100%;height:100%;min-height:0;object-fit:cover;background:#000';
  grid.append(video);
  video.srcObject = new MediaStream([track]);
  video.play().catch(fail);
}

const { socket, send, partyTracks } = await openBareCall(room, 'bare viewer');
const pulled = new Set<string>();
const pull = (publication: Publication) => {
  if (publication.kind !== 'video' || pulled.size >= wanted) return;
  const key = `${publication.sessionId}/${publication.trackName}`;
  if (pulled.has(key)) return;
  pulled.add(key);
  partyTracks
    .pull(
      of({ location: 'remote' as const, sessionId: publication.sessionId, trackName: publication.trackName }),
    )
    .subscribe({ next: show, error: fail });
};
socket.addEventListener('message', (event) => {
  const message = JSON.parse(String(event.data)) as ServerMessage;
  if (message.type === 'hello') {
    message.publications.forEach(pull);
    setInterval(() => send({ v, type: 'ping' }), message.heartbeatIntervalMs);
  } else if (message.type === 'track-published') {
    pull(message.publication);
  }
});
