/* global location */
// Shared by the two DataChannel echo pages: calls the SFU API the way a page written for Cloudflare's
// Realtime SFU would, with only the API host changed (here: this page's origin, which forwards /v1 to it).
const params = new URLSearchParams(location.search);
export const API_BASE = `${location.origin}/v1/apps/${params.get('app')}`;
const headers = { Authorization: `Bearer ${params.get('secret')}`, 'content-type': 'application/json' };

export async function api(method, path, body) {
  const response = await fetch(`${API_BASE}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

export function connected(pc) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ICE did not connect')), 10000);
    const check = () => {
      if (pc.iceConnectionState !== 'connected' && pc.iceConnectionState !== 'completed') return;
      clearTimeout(timer);
      resolve();
    };
    pc.addEventListener('iceconnectionstatechange', check);
    check();
  });
}

/** Publishes `name` on `publisher`, subscribes on `subscriber`, sends `count` messages, returns what came back. */
export async function echo(publisher, subscriber, name, count) {
  const published = await api('POST', `/sessions/${publisher.sessionId}/datachannels/new`, {
    dataChannels: [{ location: 'local', dataChannelName: name }],
  });
  const out = publisher.pc.createDataChannel(name, { negotiated: true, id: published.dataChannels[0].id });
  const subscribed = await api('POST', `/sessions/${subscriber.sessionId}/datachannels/new`, {
    dataChannels: [{ location: 'remote', sessionId: publisher.sessionId, dataChannelName: name }],
  });
  const inbound = subscriber.pc.createDataChannel(`${name}-subscribed`, {
    negotiated: true,
    id: subscribed.dataChannels[0].id,
  });
  const received = [];
  const done = new Promise((resolve) => {
    inbound.addEventListener('message', (event) => {
      received.push(event.data);
      if (received.length === count) resolve();
    });
  });
  await Promise.all(
    [out, inbound].map((c) =>
      c.readyState === 'open' ? undefined : new Promise((r) => c.addEventListener('open', r, { once: true })),
    ),
  );
  for (let i = 0; i < count; i++) out.send(`echo ${i} ${performance.now().toFixed(3)}`);
  await Promise.race([done, new Promise((r) => setTimeout(r, 10000))]);
  return { ids: [published.dataChannels[0].id, subscribed.dataChannels[0].id], received };
}
