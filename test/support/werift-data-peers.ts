// A werift peer playing the browser for the local SFU's DataChannel API: it connects either the older way
// (an offer carrying `server-events` to `sessions/new`) or the newer one (`establish`, then `renegotiate`),
// then publishes and subscribes to negotiated channels by the ids the SFU hands out.
import { RTCPeerConnection, type RTCDataChannel } from 'werift';
import { peerConfig, sfuRequest, waitConnected, withoutStunFallback, type SfuApi } from './werift-peers.js';

export interface DataChannelItem {
  location: 'local' | 'remote';
  dataChannelName: string;
  sessionId?: string;
  ordered?: boolean;
  maxRetransmits?: number;
  maxPacketLifeTime?: number;
  waitForAck?: boolean;
  canReply?: boolean;
}

export interface DataChannelReply {
  id?: number;
  errorCode?: string;
  errorDescription?: string;
  [key: string]: unknown;
}

/** Resolves when `channel` is open. */
export function channelOpen(channel: RTCDataChannel, ms = 10_000): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`channel ${channel.label} did not open`)), ms);
    channel.stateChanged.subscribe((state) => {
      if (state !== 'open') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Every message a channel receives, as strings. */
export function collect(channel: RTCDataChannel): string[] {
  const received: string[] = [];
  channel.onMessage.subscribe((data) => received.push(data.toString()));
  return received;
}

/** Resolves once `predicate` holds, polling every 10 ms; rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export class DataPeer {
  private constructor(
    readonly api: SfuApi,
    readonly pc: RTCPeerConnection,
    readonly sessionId: string,
    /** `server-events`: the browser's own (older form) or the one the SFU opened (newer form). */
    readonly serverEvents: RTCDataChannel,
  ) {}

  /** The older form: the offer with a `server-events` channel goes to `sessions/new`. */
  static async legacy(api: SfuApi): Promise<DataPeer> {
    const pc = new RTCPeerConnection(peerConfig());
    const serverEvents = pc.createDataChannel('server-events');
    withoutStunFallback(pc);
    await pc.setLocalDescription(await pc.createOffer());
    const { json } = await sfuRequest(api, 'POST', '/sessions/new', {
      sessionDescription: pc.localDescription,
    });
    if (json.errorCode) throw new Error(`sessions/new: ${String(json.errorCode)}`);
    await pc.setRemoteDescription(json.sessionDescription as never);
    await waitConnected(pc);
    await channelOpen(serverEvents);
    return new DataPeer(api, pc, json.sessionId as string, serverEvents);
  }

  /** The newer form: `sessions/new` without a body, `establish` (the SFU offers), `renegotiate`. */
  static async established(api: SfuApi): Promise<DataPeer> {
    const pc = new RTCPeerConnection(peerConfig());
    withoutStunFallback(pc);
    const opened = new Promise<RTCDataChannel>((resolve) => pc.onDataChannel.subscribe(resolve));
    const created = await sfuRequest(api, 'POST', '/sessions/new');
    const sessionId = created.json.sessionId as string;
    const { json } = await sfuRequest(api, 'POST', `/sessions/${sessionId}/datachannels/establish`, {
      dataChannel: { location: 'remote', dataChannelName: 'server-events' },
    });
    if (json.errorCode || json.requiresImmediateRenegotiation !== true) {
      throw new Error(`establish: ${JSON.stringify(json)}`);
    }
    await pc.setRemoteDescription(json.sessionDescription as never);
    withoutStunFallback(pc);
    await pc.setLocalDescription(await pc.createAnswer());
    const answer = await sfuRequest(api, 'PUT', `/sessions/${sessionId}/renegotiate`, {
      sessionDescription: pc.localDescription,
    });
    if (answer.json.errorCode) throw new Error(`renegotiate: ${String(answer.json.errorCode)}`);
    await waitConnected(pc);
    const serverEvents = await opened;
    await channelOpen(serverEvents);
    return new DataPeer(api, pc, sessionId, serverEvents);
  }

  async request(items: DataChannelItem[]): Promise<{ status: number; items: DataChannelReply[] }> {
    const { status, json } = await sfuRequest(
      this.api,
      'POST',
      `/sessions/${this.sessionId}/datachannels/new`,
      {
        dataChannels: items,
      },
    );
    return {
      status,
      items: (json.dataChannels as DataChannelReply[] | undefined) ?? [json as DataChannelReply],
    };
  }

  /** Publishes `name` and opens the negotiated channel on the id the SFU gave. */
  async publish(name: string, policy: Partial<DataChannelItem> = {}): Promise<RTCDataChannel> {
    const { items } = await this.request([{ location: 'local', dataChannelName: name, ...policy }]);
    return this.open(name, items[0], policy);
  }

  /** Subscribes to `publisher`'s `name` and opens the channel on the id the SFU gave. */
  async subscribe(
    publisher: DataPeer,
    name: string,
    options: Partial<DataChannelItem> = {},
    policy: Partial<DataChannelItem> = {},
  ): Promise<RTCDataChannel> {
    const { items } = await this.request([
      { location: 'remote', sessionId: publisher.sessionId, dataChannelName: name, ...options },
    ]);
    return this.open(`${name}-subscribed`, items[0], policy);
  }

  async close(): Promise<void> {
    await this.pc.close();
  }

  private async open(label: string, reply: DataChannelReply, policy: Partial<DataChannelItem>) {
    if (reply.id === undefined) throw new Error(`datachannels/new: ${JSON.stringify(reply)}`);
    const channel = this.pc.createDataChannel(label, {
      negotiated: true,
      id: reply.id,
      ordered: policy.ordered ?? true,
      maxRetransmits: policy.maxRetransmits,
      maxPacketLifeTime: policy.maxPacketLifeTime,
    });
    await channelOpen(channel);
    return channel;
  }
}
