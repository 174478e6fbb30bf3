// A full local-SFU call for the loopback-guard test: run it under a guard; it prints `drill ok` and exits 0
// only if media flowed and nothing tried to leave 127.0.0.1 (no DNS, no mDNS, no STUN).
import { chromeOffer } from './sdp-fixtures.js';
import { startSfuE2e } from './sfu-e2e.js';

const e2e = await startSfuE2e({ appSecret: 'drill-secret' });
try {
  const publisher = await e2e.openPage();
  const viewer = await e2e.openPage();
  const video = await publisher.publish('camera', { kind: 'video' });
  const audio = await publisher.publish('mic', { kind: 'audio' });
  await viewer.pull('camera', video);
  await viewer.pull('mic', audio);
  await viewer.waitForVideo('camera');
  await viewer.waitForAudio('mic');

  // Candidates werift would otherwise chase: an mDNS name and a public address.
  const headers = { authorization: 'Bearer drill-secret', 'content-type': 'application/json' };
  const api = `${e2e.sfu.baseUrl}/v1/apps/e2e`;
  const session = (await (await fetch(`${api}/sessions/new`, { method: 'POST', headers })).json()) as {
    sessionId: string;
  };
  const sdp = chromeOffer({
    sections: [{ kind: 'video', mid: '0' }],
    candidates: [
      'a=candidate:1 1 udp 2122260223 0f2d4c1e-9b7a-4c8e-a1d2-3e4f5a6b7c8d.local 50000 typ host',
      'a=candidate:2 1 udp 1685987071 203.0.113.7 50001 typ srflx raddr 0.0.0.0 rport 0',
    ],
  });
  const push = await fetch(`${api}/sessions/${session.sessionId}/tracks/new`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      sessionDescription: { type: 'offer', sdp },
      tracks: [{ location: 'local', mid: '0', trackName: 'drill' }],
    }),
  });
  if (push.status !== 200) throw new Error(`push with foreign candidates failed: ${push.status}`);
  // Give werift time to act on anything it would resolve.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
} finally {
  await e2e.close();
}
console.log('drill ok');
