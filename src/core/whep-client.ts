// One WHEP playback session (draft-ietf-wish-whep) in the browser, with no partytracks and no presence: a
// receive-only RTCPeerConnection, the POST that starts it (with an offer, or empty for the server's 406
// counter-offer answered by PATCH), and the DELETE that ends it. Retrying is the caller's business.
import { CallError } from './call-error.js';

export interface WhepOptions {
  /** The WHEP endpoint, e.g. `https://calls.example.com/whep/standup`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer`; leave out for a public broadcast. */
  readonly token?: string;
  /** Post no offer: take the server's counter-offer (406) and answer it with PATCH. */
  readonly counterOffer?: boolean;
  readonly iceServers?: RTCIceServer[];
  /** ICE candidates are sent with the offer (no trickle): wait at most this long for them. Default 2 s. */
  readonly gatheringTimeoutMs?: number;
}

export class WhepSession {
  readonly pc: RTCPeerConnection;
  /** Audio and video as they arrive. */
  readonly stream = new MediaStream();
  #resource: string | undefined;
  #closed = false;

  constructor(private readonly options: WhepOptions) {
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers ?? [] });
    this.pc.addEventListener('track', (event) => this.stream.addTrack(event.track));
  }

  /** Negotiates; resolves once the server accepted the session (media follows when ICE connects). */
  async start(signal?: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/sdp' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (this.options.counterOffer) {
      const response = await this.#fetch(this.options.url, { method: 'POST', headers, body: '' });
      if (response.status !== 406) throw await refusal(response);
      const resource = await this.#created(response, signal);
      await this.pc.setRemoteDescription({ type: 'offer', sdp: await response.text() });
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      await this.#gathered();
      const etag = response.headers.get('etag');
      const patched = await this.#fetch(resource, {
        method: 'PATCH',
        headers: { ...headers, ...(etag ? { 'if-match': etag } : {}) },
        body: this.pc.localDescription!.sdp,
      });
      if (patched.status !== 204) throw await refusal(patched);
      return;
    }
    this.pc.addTransceiver('video', { direction: 'recvonly' });
    this.pc.addTransceiver('audio', { direction: 'recvonly' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await this.#gathered();
    const response = await this.#fetch(this.options.url, {
      method: 'POST',
      headers,
      body: this.pc.localDescription!.sdp,
    });
    if (response.status !== 201) throw await refusal(response);
    await this.#created(response, signal);
    await this.pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  }

  /** Ends the session: DELETE on the resource (best effort) and the PeerConnection closed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.pc.close();
    for (const track of this.stream.getTracks()) track.stop();
    await this.#deleteResource();
  }

  /**
   * The server created the viewer session. Requests are never aborted once sent (the server may already have
   * acted on them): if the caller gave up meanwhile, the session is ended here instead of leaking.
   */
  async #created(response: Response, signal: AbortSignal | undefined): Promise<string> {
    const resource = new URL(response.headers.get('location') ?? '', this.options.url).href;
    this.#resource = resource;
    if (!this.#closed && !signal?.aborted) return resource;
    this.#closed = false; // close() may have run before the resource was known: run it again, now with it
    await this.close();
    throw new DOMException('The WHEP session was stopped while starting.', 'AbortError');
  }

  async #deleteResource(): Promise<void> {
    if (!this.#resource) return;
    const resource = this.#resource;
    this.#resource = undefined;
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    await fetch(resource, { method: 'DELETE', headers, redirect: 'manual', keepalive: true }).catch(
      () => undefined,
    );
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'manual', credentials: 'omit' });
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw new CallError('connection-failed', 'The WHEP endpoint could not be reached.', true, { cause });
    }
  }

  /** No trickle: the offer or answer goes out with its candidates, once gathered (or after a timeout). */
  #gathered(): Promise<void> {
    const pc = this.pc;
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      };
      const check = () => pc.iceGatheringState === 'complete' && done();
      const timer = setTimeout(done, this.options.gatheringTimeoutMs ?? 2_000);
      pc.addEventListener('icegatheringstatechange', check);
    });
  }
}

/** A refusal as a CallError: 401 needs a new token, 403 is final, 404 means nothing to watch yet. */
async function refusal(response: Response): Promise<CallError> {
  const text = await response.text().catch(() => '');
  let description = `The WHEP endpoint answered ${response.status}.`;
  try {
    const body = JSON.parse(text) as { errorDescription?: unknown };
    if (typeof body.errorDescription === 'string') description = body.errorDescription;
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 401) return new CallError('token-failed', description, true, { cause: text });
  if (response.status === 403) return new CallError('forbidden', description, false, { cause: text });
  if (response.status === 429) return new CallError('rate-limited', description, true, { cause: text });
  return new CallError('connection-failed', description, true, { cause: response.status });
}
