// The join benchmark's "bare partytracks" page: the same stack as the widget (demo token endpoint, presence
// WebSocket, partytracks proxy, local SFU) with no UI library, written the short way
// (test/support/call-server-page.ts): token → presence + camera in parallel → pull what `hello` lists, push
// the camera → plain `<video>`. `?role=publisher` joins at load; `?role=subscriber` joins on its Join button.
import { openBareCall } from '../../test/support/bare-call.js';
import { of, type Subscription } from 'rxjs';
import type { Publication, ServerMessage } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';

const params = new URLSearchParams(location.search);
const room = params.get('room') ?? 'bench';
const fail = (error: unknown) => window.__bench.errors.push(String(error));

async function join(name: string): Promise<void> {
  const { socket, send, partyTracks } = await openBareCall(room, name);
  const camera = navigator.mediaDevices
    .getUserMedia({ video: { width: 320, height: 240, frameRate: 15 } })
    .then((stream) => stream.getVideoTracks()[0]);

  let selfId: string | undefined;
  const pulls = new Map<string, Subscription>();
  const pull = (publication: Publication) => {
    if (publication.participantId === selfId || publication.kind !== 'video') return;
    const key = `${publication.participantId}/${publication.source}`;
    pulls.get(key)?.unsubscribe();
    const track$ = partyTracks.pull(
      of({ location: 'remote' as const, sessionId: publication.sessionId, trackName: publication.trackName }),
    );
    pulls.set(key, track$.subscribe({ next: (track) => show(key, track), error: fail }));
  };
  const drop = (participantId: string) => {
    for (const [key, subscription] of pulls) {
      if (!key.startsWith(`${participantId}/`)) continue;
      subscription.unsubscribe();
      pulls.delete(key);
      document.querySelector(`video[data-key="${CSS.escape(key)}"]`)?.remove();
    }
  };

  const hello = new Promise<void>((resolve) => {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      switch (message.type) {
        case 'hello':
          selfId = message.self.id;
          message.publications.forEach(pull);
          setInterval(() => send({ v, type: 'ping' }), message.heartbeatIntervalMs);
          resolve();
          break;
        case 'track-published':
          pull(message.publication);
          break;
        case 'participant-left':
          drop(message.participantId);
          break;
        case 'error':
          fail(`${message.code}: ${message.message}`);
          break;
      }
    });
  });

  const [track] = await Promise.all([camera, hello]);
  if (!track) throw new Error('no camera track');
  partyTracks.push(of(track)).subscribe({
    next: ({ sessionId, trackName }) => {
      if (!sessionId || !trackName) return fail('push without metadata');
      send({ v, type: 'publish', track: { sessionId, trackName, kind: 'video', source: 'camera' } });
    },
    error: fail,
  });
}

function show(key: string, track: MediaStreamTrack): void {
  let video = document.querySelector<HTMLVideoElement>(`video[data-key="${CSS.escape(key)}"]`);
  if (!video) {
    video = document.createElement('video');
    video.dataset.key = key;
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
    document.body.append(video);
  }
  video.srcObject = new MediaStream([track]);
  video.play().catch(fail);
}

if (params.get('role') === 'publisher') {
  join('Publisher').catch(fail);
} else {
  const button = document.createElement('button');
  button.id = 'join';
  button.textContent = 'Join';
  button.addEventListener('click', () => void join('Subscriber').catch(fail), { once: true });
  document.body.append(button);
}
document.body.dataset.ready = 'true';
