// The WHIP side of an encoder (RFC 9725) for tests: POST the offer, keep the resource URL, DELETE it at the end.
import { ObsPublisher } from './obs-publisher.js';
import type { ClipOptions } from './h264-clip.js';

export interface WhipSession {
  readonly publisher: ObsPublisher;
  /** Absolute URL of the stream resource. */
  readonly resource: string;
  readonly etag: string | null;
  /** The 201's headers, for assertions. */
  readonly headers: Headers;
  /** DELETE on the resource, as OBS does when streaming stops; returns the status. */
  stop(): Promise<number>;
}

/**
 * Publishes like OBS: no candidates in the offer, media once connected. Throws unless the server answers 201
 * and ICE and DTLS complete within `connectTimeoutMs` (default 10 s; a loaded machine may need more).
 */
export async function publishWhip(
  url: string,
  token: string,
  clip: ClipOptions = {},
  connectTimeoutMs?: number,
): Promise<WhipSession> {
  const publisher = await ObsPublisher.create(clip);
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/sdp' },
    body: publisher.offer,
    redirect: 'manual',
  });
  const body = await response.text();
  if (response.status !== 201) {
    await publisher.close();
    throw new Error(`WHIP POST answered ${response.status}: ${body.slice(0, 300)}`);
  }
  const resource = new URL(response.headers.get('location') ?? '', url).href;
  await publisher.accept(body, connectTimeoutMs);
  publisher.start();
  return {
    publisher,
    resource,
    etag: response.headers.get('etag'),
    headers: response.headers,
    async stop() {
      const reply = await fetch(resource, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
        redirect: 'manual',
      });
      await publisher.close();
      return reply.status;
    },
  };
}
