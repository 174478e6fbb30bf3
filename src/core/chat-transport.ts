// The SFU side of chat, on partytracks' PeerConnection: brings up SCTP with `datachannels/establish` (the
// browser's offer, so it can't cross partytracks' own SFU offers), then opens negotiated channels by the ids
// `datachannels/new` hands out. All calls go through the call server's proxy with the call's headers.

export interface ChatTransportOptions {
  /** The proxy prefix, e.g. `https://calls.example/partytracks`. */
  readonly prefix: string;
  /** The call's request headers (room token, session key). */
  readonly headers: Headers;
  readonly signal: AbortSignal;
}

interface DataChannelReply {
  readonly id?: number;
  readonly errorCode?: string;
  readonly errorDescription?: string;
}

/** A refusal from the proxy or the SFU, with its `errorCode`. */
/** How long to wait for partytracks' first push to bring SCTP up before offering it ourselves. */
const OWN_OFFER_AFTER_MS = 8_000;

export class ChatTransportError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export class ChatTransport {
  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly sessionId: string,
    private readonly options: ChatTransportOptions,
  ) {}

  /**
   * Makes sure the session has SCTP. A browser DataChannel makes every later browser offer carry
   * `m=application` (a partytracks push then brings SCTP up by itself); if none has, offer it with
   * `establish`. A collision with partytracks' own negotiation is rolled back and retried.
   */
  async establish(): Promise<void> {
    const { pc, options } = this;
    pc.createDataChannel('server-events');
    // partytracks renegotiates on its own schedule, and an offer of ours in between breaks its next answer. Its
    // next offer (the first push) carries m=application now and brings SCTP up by itself: wait for that first.
    // Only a page that never pushes (a viewer) negotiates here.
    const up = () => pc.sctp?.state === 'connected';
    for (let waited = 0; !up() && waited < OWN_OFFER_AFTER_MS && !options.signal.aborted; waited += 100) {
      await sleep(100, options.signal);
    }
    for (let attempt = 0; attempt < 20 && !options.signal.aborted; attempt++) {
      if (up()) return;
      if (pc.signalingState !== 'stable') {
        await sleep(100, options.signal);
        continue;
      }
      const offer = await pc.createOffer();
      if (pc.signalingState !== 'stable' || pc.sctp) continue;
      await pc.setLocalDescription(offer);
      const reply = await this.call('POST', 'datachannels/establish', {
        sessionDescription: { type: 'offer', sdp: pc.localDescription?.sdp ?? '' },
        dataChannel: { location: 'remote', dataChannelName: 'server-events' },
      }).catch((error: unknown) => error as ChatTransportError);
      const answer = (reply as { sessionDescription?: RTCSessionDescriptionInit }).sessionDescription;
      if (reply instanceof Error || !answer) {
        if ((pc.signalingState as RTCSignalingState) === 'have-local-offer')
          await pc.setLocalDescription({ type: 'rollback' });
        if (reply instanceof ChatTransportError && reply.status === 403) throw reply;
        await sleep(150 * (attempt + 1), options.signal);
        continue;
      }
      await pc.setRemoteDescription(answer);
      return;
    }
    if (!pc.sctp && !options.signal.aborted) throw new Error('chat could not establish its DataChannels');
  }

  /** Publishes `name`: an ordered, reliable channel the SFU fans out to every subscriber. */
  async publish(name: string): Promise<RTCDataChannel> {
    const [item] = await this.items('POST', 'datachannels/new', [
      { location: 'local', dataChannelName: name, ordered: true },
    ]);
    return this.pc.createDataChannel(name, { negotiated: true, id: item.id, ordered: true });
  }

  /** Subscribes to another session's `name`. */
  async subscribe(sessionId: string, name: string): Promise<RTCDataChannel> {
    const [item] = await this.items('POST', 'datachannels/new', [
      { location: 'remote', sessionId, dataChannelName: name },
    ]);
    return this.pc.createDataChannel(`${name}-subscribed`, { negotiated: true, id: item.id, ordered: true });
  }

  /** Closes channels on the SFU (the browser closes its ends itself). Best effort. */
  async close(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.call('PUT', 'datachannels/close', { dataChannels: ids.map((id) => ({ id })) }).catch(() => {});
  }

  private async items(method: string, operation: string, items: object[]): Promise<{ id: number }[]> {
    const reply = (await this.call(method, operation, { dataChannels: items })) as {
      dataChannels?: DataChannelReply[];
    };
    return (reply.dataChannels ?? []).map((item) => {
      if (item.errorCode || item.id === undefined) {
        throw new ChatTransportError(200, item.errorCode ?? 'invalid', item.errorDescription ?? 'refused');
      }
      return { id: item.id };
    });
  }

  private async call(method: string, operation: string, body: unknown): Promise<unknown> {
    const headers = new Headers(this.options.headers);
    headers.set('content-type', 'application/json');
    const response = await fetch(`${this.options.prefix}/sessions/${this.sessionId}/${operation}`, {
      method,
      headers,
      body: JSON.stringify(body),
      credentials: 'include',
      signal: this.options.signal,
    });
    const json = (await response.json().catch(() => ({}))) as DataChannelReply;
    if (!response.ok || json.errorCode) {
      throw new ChatTransportError(response.status, json.errorCode ?? 'error', json.errorDescription ?? '');
    }
    return json;
  }
}
