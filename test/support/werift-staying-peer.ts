// A synthetic participant that stays in one SFU session while it pulls and closes tracks, the way partytracks
// does in a page that stays through other participants' churn: every pull is an SFU offer it answers
// (`renegotiate`), every close is its own offer with the m-line stopped (`tracks/close`, force: false).
import { RTCPeerConnection, type MediaStreamTrack, type RTCRtpTransceiver } from 'werift';
import { sfuRequest, type SfuApi } from './werift-peers.js';

interface Description {
  type: 'offer' | 'answer';
  sdp: string;
}

/** The same loopback-only full ICE agent as the other synthetic peers (werift-peers.ts). */
function stayingPeerConnection(): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceUseTcp: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    bundlePolicy: 'max-bundle',
  });
}

async function call(api: SfuApi, method: string, path: string, body?: unknown) {
  const { status, json } = await sfuRequest(api, method, path, body);
  if (json.errorCode || status >= 400) throw new Error(`${path}: ${status} ${JSON.stringify(json)}`);
  return json;
}

export class StayingPeer {
  readonly pc = stayingPeerConnection();
  /** RTP packets that arrived, per mid (counted by werift after decryption). */
  readonly packetsByMid = new Map<string, number>();

  private constructor(
    private readonly api: SfuApi,
    readonly sessionId: string,
  ) {
    this.pc.onTrack.subscribe((track) => {
      const transceiver = this.pc.getTransceivers().find((t) => t.receiver.tracks.includes(track));
      if (transceiver) this.count(transceiver, track);
    });
  }

  static async create(api: SfuApi): Promise<StayingPeer> {
    const { sessionId } = (await call(api, 'POST', '/sessions/new')) as { sessionId: string };
    return new StayingPeer(api, sessionId);
  }

  /** Pulls `track`; resolves with its mid once the SFU's offer is answered (and, the first time, connected). */
  async pull(track: { sessionId: string; trackName: string }): Promise<string> {
    const reply = (await call(this.api, 'POST', `/sessions/${this.sessionId}/tracks/new`, {
      tracks: [{ location: 'remote', sessionId: track.sessionId, trackName: track.trackName }],
    })) as { sessionDescription: Description; tracks: { mid: string }[] };
    await this.pc.setRemoteDescription(reply.sessionDescription);
    this.withoutStunFallback();
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await call(this.api, 'PUT', `/sessions/${this.sessionId}/renegotiate`, {
      sessionDescription: this.pc.localDescription,
    });
    await this.connected();
    return reply.tracks[0].mid;
  }

  /** Closes the pull on `mid` as partytracks does: stop the transceiver, offer, apply the SFU's answer. */
  async close(mid: string): Promise<void> {
    const transceiver = this.pc.getTransceivers().find((t) => t.mid === mid);
    if (!transceiver) throw new Error(`no transceiver for mid ${mid}`);
    await transceiver.stop();
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const reply = (await call(this.api, 'PUT', `/sessions/${this.sessionId}/tracks/close`, {
      tracks: [{ mid }],
      sessionDescription: this.pc.localDescription,
      force: false,
    })) as { sessionDescription: Description };
    await this.pc.setRemoteDescription(reply.sessionDescription);
  }

  /** Length of the SDP the peer last sent or received. */
  get sdpBytes(): number {
    return Math.max(this.pc.localDescription?.sdp.length ?? 0, this.pc.remoteDescription?.sdp.length ?? 0);
  }

  async leave(): Promise<void> {
    await this.pc.close();
  }

  private count(transceiver: RTCRtpTransceiver, track: MediaStreamTrack): void {
    const mid = transceiver.mid ?? '';
    track.onReceiveRtp.subscribe(() => this.packetsByMid.set(mid, (this.packetsByMid.get(mid) ?? 0) + 1));
  }

  /** werift's full agent falls back to a public STUN server; a test peer must never look it up. */
  private withoutStunFallback(): void {
    for (const transport of this.pc.iceTransports) {
      (transport.connection as unknown as { stunServer?: unknown }).stunServer = undefined;
    }
  }

  private connected(ms = 10_000): Promise<void> {
    const pc = this.pc;
    if (pc.connectionState === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the staying peer did not connect')), ms);
      const sub = pc.connectionStateChange.subscribe((state) => {
        if (state !== 'connected') return;
        clearTimeout(timer);
        sub.unSubscribe();
        resolve();
      });
    });
  }
}
