// The join benchmark's floor: a direct browser-to-browser PeerConnection, no server in the media or
// signalling path. Two pages of one browser context signal over a BroadcastChannel (sub-millisecond).
// `?role=publisher` opens the camera at load and answers; `?role=subscriber` offers receive-only VP8 when its
// Join button is clicked and shows what arrives. Candidates trickle both ways.

type Role = 'publisher' | 'subscriber';
type Signal =
  | { type: 'offer' | 'answer'; sdp: string }
  | { type: 'candidate'; from: Role; candidate: RTCIceCandidateInit };

const params = new URLSearchParams(location.search);
const role: Role = params.get('role') === 'publisher' ? 'publisher' : 'subscriber';
const channel = new BroadcastChannel(`join-bench-p2p:${params.get('room') ?? ''}`);
const post = (signal: Signal) => channel.postMessage(signal);
const fail = (error: unknown) => window.__bench.errors.push(`${role}: ${String(error)}`);

let pc: RTCPeerConnection | undefined;
const early: RTCIceCandidateInit[] = [];

function newPeer(): RTCPeerConnection {
  pc?.close();
  const peer = (pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' }));
  peer.addEventListener('icecandidate', (event) => {
    if (event.candidate) post({ type: 'candidate', from: role, candidate: event.candidate.toJSON() });
  });
  return peer;
}

async function remoteDescription(peer: RTCPeerConnection, description: RTCSessionDescriptionInit) {
  await peer.setRemoteDescription(description);
  for (const candidate of early.splice(0)) await peer.addIceCandidate(candidate);
}

let camera: MediaStreamTrack | undefined;

channel.addEventListener('message', (event: MessageEvent<Signal>) => {
  const signal = event.data;
  if (signal.type === 'candidate') {
    if (signal.from === role) return;
    if (pc?.remoteDescription) pc.addIceCandidate(signal.candidate).catch(fail);
    else early.push(signal.candidate);
  } else if (signal.type === 'offer' && role === 'publisher') {
    const peer = newPeer();
    void (async () => {
      await remoteDescription(peer, { type: 'offer', sdp: signal.sdp });
      const transceiver = peer.getTransceivers()[0];
      if (!transceiver || !camera) throw new Error('no transceiver or no camera');
      await transceiver.sender.replaceTrack(camera);
      transceiver.direction = 'sendonly';
      const answer = await peer.createAnswer();
      await peer.setLocalDescription(answer);
      post({ type: 'answer', sdp: answer.sdp ?? '' });
    })().catch(fail);
  } else if (signal.type === 'answer' && role === 'subscriber' && pc) {
    remoteDescription(pc, { type: 'answer', sdp: signal.sdp }).catch(fail);
  }
});

function join(): void {
  const peer = newPeer();
  peer.addEventListener('track', (event) => {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
    document.body.append(video);
    video.srcObject = new MediaStream([event.track]);
    video.play().catch(fail);
  });
  const transceiver = peer.addTransceiver('video', { direction: 'recvonly' });
  // Same codec as the SFU path (the local SFU offers VP8 only).
  const vp8 = RTCRtpReceiver.getCapabilities('video')?.codecs.filter((c) => /vp8/i.test(c.mimeType));
  if (vp8?.length) transceiver.setCodecPreferences(vp8);
  void (async () => {
    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    post({ type: 'offer', sdp: offer.sdp ?? '' });
  })().catch(fail);
}

if (role === 'publisher') {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: 320, height: 240, frameRate: 15 },
  });
  camera = stream.getVideoTracks()[0];
} else {
  const button = document.createElement('button');
  button.id = 'join';
  button.textContent = 'Join';
  button.addEventListener('click', join, { once: true });
  document.body.append(button);
}
document.body.dataset.ready = 'true';

export {};
