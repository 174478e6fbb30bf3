// The SFU side of chat, on partytracks' PeerConnection: brings up SCTP with `datachannels/establish` (the
// browser's offer, so it can't cross partytracks' own SFU offers), then opens negotiated channels by the ids
// `datachannels/new` hands out. All calls go through the call server's proxy with the call's headers.

export interface ChatTransportOptions {
  /** The proxy prefix, e.g. `https://calls.example/partytracks`. */
  readonly prefix: string;
  /** The call's request headers (room token, session key). */
  readonly headers: Headers;
  readonly signal: AbortSignal;
  /** Whether partytracks is negotiating with the SFU right now (SCTP is offered only in a quiet moment). */
  readonly busy?: () => boolean;
  /** Whether partytracks will push this call's media: its offer then carries `m=application`. */
  readonly expectsPush?: () => boolean;
  /**
   * How long partytracks must have left the PeerConnection alone before SCTP is offered (default 400 ms).
   * 0 where nothing else negotiates on it yet (the pre-join screen's early connection).
   */
  readonly quietMs?: number;
}

interface DataChannelReply {
  readonly id?: number;
  readonly errorCode?: string;
  readonly errorDescription?: string;
}

/** A refusal from the proxy or the SFU, with its `errorCode`. */
export class ChatTransportError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** How long partytracks must have left the PeerConnection alone before chat offers SCTP itself. */
const QUIET_MS = 400;
/** How long a page that will push waits for partytracks' push to bring SCTP up before offering it itself. */
const PUSH_WAIT_MS = 20_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Whether SCTP is negotiated with the SFU: both current descriptions carry `m=application`. (`pc.sctp` alone
 * is not enough: Chromium keeps it after an offer with `m=application` is rolled back.)
 */
export function negotiatedSctp(pc: RTCPeerConnection): boolean {
  const application = /^m=application /m;
  return (
    application.test(pc.currentLocalDescription?.sdp ?? '') &&
    application.test(pc.currentRemoteDescription?.sdp ?? '')
  );
}

export class ChatTransport {
  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly sessionId: string,
    private readonly options: ChatTransportOptions,
  ) {}

  /**
   * Makes sure the session has SCTP. A browser DataChannel makes every later browser offer carry
   * `m=application` (a partytracks push then brings SCTP up by itself); if none has, offer it with
   * `establish`. The offer is applied locally only once the SFU took it: while partytracks negotiates (the SFU
   * waits for an answer to its offer for a pull), the SFU refuses, and the browser has nothing to roll back.
   * (A rolled-back offer would leave Chromium believing it has SCTP: its later offers lack `m=application`.)
   */
  async establish(): Promise<void> {
    const { pc, options } = this;
    const quietMs = options.quietMs ?? QUIET_MS;
    pc.createDataChannel('server-events');
    // A page that publishes gets SCTP from partytracks' push offer: an offer of ours could cross it, and then
    // the SFU keeps an m=application the browser never applied (every later push fails). Only a page that
    // never pushes (a viewer), or one whose push did not come in time, offers SCTP itself.
    for (let waited = 0; waited < PUSH_WAIT_MS && options.expectsPush?.(); waited += 100) {
      if (negotiatedSctp(pc) || options.signal.aborted) return;
      await sleep(100, options.signal);
    }
    for (let attempt = 0; attempt < 20 && !options.signal.aborted; attempt++) {
      // partytracks' next offer carries the channel's m=application by itself; offer it ourselves only after a
      // quiet spell (no negotiation in the browser, no partytracks request at the SFU), as on a page that only
      // pulls. An offer crossing partytracks' would leave the browser and the SFU disagreeing.
      let quietSince = performance.now();
      while (!negotiatedSctp(pc) && !options.signal.aborted) {
        if (pc.signalingState !== 'stable' || options.busy?.()) quietSince = performance.now();
        else if (performance.now() - quietSince >= quietMs) break;
        await sleep(25, options.signal);
      }
      if (negotiatedSctp(pc) || options.signal.aborted) return;
      const offer = await pc.createOffer();
      const reply = await this.call('POST', 'datachannels/establish', {
        sessionDescription: { type: 'offer', sdp: offer.sdp ?? '' },
        dataChannel: { location: 'remote', dataChannelName: 'server-events' },
      }).catch((error: unknown) => error as ChatTransportError);
      if (reply instanceof ChatTransportError && reply.status === 403) throw reply;
      const answer = (reply as { sessionDescription?: RTCSessionDescriptionInit }).sessionDescription;
      if (!(reply instanceof Error) && answer) {
        // Fails only if partytracks negotiated in the meantime (the offer is stale): then offer again.
        const applied = await pc
          .setLocalDescription(offer)
          .then(() => pc.setRemoteDescription(answer))
          .then(
            () => true,
            () => false,
          );
        if (applied) return;
        // Roll back only our own offer: a failed setLocalDescription leaves partytracks' state alone.
        if (pc.localDescription?.sdp === offer.sdp && pc.signalingState === 'have-local-offer')
          await pc.setLocalDescription({ type: 'rollback' });
      }
      await sleep(150 * (attempt + 1), options.signal);
    }
    if (!negotiatedSctp(pc) && !options.signal.aborted)
      throw new Error('chat could not establish its DataChannels');
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
