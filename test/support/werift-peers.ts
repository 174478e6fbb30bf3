// Synthetic werift peers for the local SFU (bench/sfu.bench.ts and Node forwarding tests): a publisher that
// sends VP8-shaped RTP through the real HTTP API, and subscribers that count what arrives. Subscribers read
// the RTP header (clear text under SRTP) straight off the wire and skip decryption, so a load generator
// stays light and the SFU, not the generator, is what saturates.
import {
  GenericNack,
  MediaStreamTrack,
  PictureLossIndication,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
  SrtpAuthenticationError,
  useVP8,
  type PeerConfig,
  type RTCRtpTransceiver,
} from 'werift';

export interface SfuApi {
  /** The SFU's `/v1/apps/<id>`, or the call server's `/partytracks`. */
  base: string;
  headers: Record<string, string>;
  /** Cookies kept like a browser's jar: set it to call through the call server, which locks sessions. */
  cookies?: Map<string, string>;
}

/** One API call; answers whatever status came back. */
export async function sfuRequest(
  api: SfuApi,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const cookie = api.cookies && [...api.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await fetch(`${api.base}${path}`, {
    method,
    headers: { ...api.headers, ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  for (const setCookie of api.cookies ? response.headers.getSetCookie() : []) {
    const [pair = ''] = setCookie.split(';');
    const eq = pair.indexOf('=');
    api.cookies?.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function call<T>(api: SfuApi, method: string, path: string, body?: unknown): Promise<T> {
  const { json } = await sfuRequest(api, method, path, body);
  if (json.errorCode) throw new Error(`${path}: ${String(json.errorCode)}`);
  return json as T;
}

/** A full (controlling) ICE agent on 127.0.0.1; the SFU side is ICE-lite. */
export function peerConfig(rtx = false): Partial<PeerConfig> {
  const vp8 = useVP8();
  vp8.payloadType = 96;
  const video = rtx
    ? [
        vp8,
        new RTCRtpCodecParameters({
          mimeType: 'video/rtx',
          clockRate: 90000,
          payloadType: 97,
          parameters: 'apt=96',
        }),
      ]
    : [vp8];
  return {
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceUseTcp: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    bundlePolicy: 'max-bundle',
    codecs: { video, audio: [] },
    headerExtensions: { audio: [], video: [] },
  };
}

/** werift's full agent falls back to a public STUN server; a benchmark peer must never look it up. */
export function withoutStunFallback(pc: RTCPeerConnection): void {
  for (const transport of pc.iceTransports) {
    (transport.connection as unknown as { stunServer?: unknown }).stunServer = undefined;
  }
}

/** Resolves once `pc` is connected; closes it and rejects after `ms`. */
export function waitConnected(pc: RTCPeerConnection, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pc.connectionState === 'connected') return resolve();
    const timer = setTimeout(() => {
      void pc.close();
      reject(new Error('peer did not connect'));
    }, ms);
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/**
 * A new SFU session that publishes `transceiver` as `trackName` (sessions/new, then tracks/new with the offer),
 * connected; answers the session id.
 */
export async function publishThroughSfu(
  api: SfuApi,
  pc: RTCPeerConnection,
  transceiver: RTCRtpTransceiver,
  trackName: string,
): Promise<string> {
  withoutStunFallback(pc);
  await pc.setLocalDescription(await pc.createOffer());
  const { sessionId } = await call<{ sessionId: string }>(api, 'POST', '/sessions/new');
  const reply = await call<{ sessionDescription: { type: 'answer'; sdp: string } }>(
    api,
    'POST',
    `/sessions/${sessionId}/tracks/new`,
    {
      sessionDescription: pc.localDescription,
      tracks: [{ location: 'local', mid: transceiver.mid, trackName }],
    },
  );
  await pc.setRemoteDescription(reply.sessionDescription);
  await waitConnected(pc);
  return sessionId;
}

/**
 * Runs `connect` again, once, when its peer did not connect: on a busy machine werift's DTLS client sometimes
 * fails its handshake (the server answers late, the client resends its hello and then throws on the second
 * reply). The second try starts a fresh session; the SFU collects the first.
 */
async function retryingHandshake<T>(connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (error) {
    if ((error as Error).message !== 'peer did not connect') throw error;
    return connect();
  }
}

/** RTP timestamps on a 90 kHz clock shared by every process on the machine (for forwarding delay). */
export function clock90k(): number {
  return Math.floor(((performance.timeOrigin + performance.now()) * 90) % 2 ** 32);
}

/** A VP8 payload that starts a keyframe (640x480) or an inter frame. */
function vp8Payload(bytes: number, keyframe: boolean): Buffer {
  const payload = Buffer.alloc(bytes, 0x5a);
  Buffer.from([0x10, keyframe ? 0x00 : 0x01, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]).copy(
    payload,
  );
  return payload;
}

export class SyntheticPublisher {
  /** Picture-loss requests the SFU sent this publisher. */
  pliCount = 0;
  private sequence = 0;
  private sent = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly keyframe: Buffer;
  private readonly delta: Buffer;

  private constructor(
    readonly pc: RTCPeerConnection,
    private readonly track: MediaStreamTrack,
    readonly sessionId: string,
    readonly trackName: string,
    payloadBytes: number,
  ) {
    this.keyframe = vp8Payload(payloadBytes, true);
    this.delta = vp8Payload(payloadBytes, false);
    pc.getTransceivers()[0].sender.onPictureLossIndication.subscribe(() => this.pliCount++);
  }

  static create(api: SfuApi, payloadBytes: number): Promise<SyntheticPublisher> {
    return retryingHandshake(() => SyntheticPublisher.connect(api, payloadBytes));
  }

  private static async connect(api: SfuApi, payloadBytes: number): Promise<SyntheticPublisher> {
    const pc = new RTCPeerConnection(peerConfig());
    const track = new MediaStreamTrack({ kind: 'video' });
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly' });
    const trackName = `bench-${Math.random().toString(36).slice(2)}`;
    const sessionId = await publishThroughSfu(api, pc, transceiver, trackName);
    return new SyntheticPublisher(pc, track, sessionId, trackName, payloadBytes);
  }

  /** Sends `packetsPerSecond` packets, paced in 5 ms slices; every packet starts a keyframe. */
  start(packetsPerSecond: number): void {
    const started = performance.now();
    const sentBefore = this.sent;
    this.timer = setInterval(() => {
      const due =
        Math.floor(((performance.now() - started) * packetsPerSecond) / 1000) - (this.sent - sentBefore);
      for (let i = 0; i < Math.min(due, 200); i++) this.sendOne();
    }, 5);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sendOne(keyframe = true): void {
    this.write({ marker: true }, keyframe ? this.keyframe : this.delta);
  }

  /** A packet of padding only, as Chrome pads a camera that is off: the padding bit set, no payload. */
  sendPadding(): void {
    const padding = Buffer.alloc(200);
    padding[padding.length - 1] = padding.length;
    // The padding goes in as the payload: werift's sender encrypts a payload, never a header's paddingSize.
    this.write({ padding: true }, padding);
  }

  private write(fields: Partial<RtpHeader>, payload: Buffer): void {
    this.sequence = (this.sequence + 1) & 0xffff;
    this.sent++;
    const header = new RtpHeader({
      payloadType: 96,
      sequenceNumber: this.sequence,
      timestamp: clock90k(),
      ...fields,
    });
    this.track.writeRtp(new RtpPacket(header, payload));
  }

  async close(): Promise<void> {
    this.stop();
    await this.pc.close();
  }
}

export interface ReceiveStats {
  received: number;
  expected: number;
  delaysMs: number[];
}

export interface SeenPacket {
  /** Datagram size: tells publishers with different payload sizes apart without decrypting. */
  bytes: number;
  payloadType: number;
  ssrc: number;
  sequenceNumber: number;
}

export class SyntheticSubscriber {
  /** Recent packets (header fields only, the last 1,000 to 2,000), newest last. */
  readonly seen: SeenPacket[] = [];
  private firstSeq: number | undefined;
  private lastSeq = 0;
  private received = 0;
  private delaysMs: number[] = [];

  private constructor(
    readonly pc: RTCPeerConnection,
    /** The subscriber's own SFU session. */
    readonly sessionId: string,
    /** The m-line the pull arrived on. */
    readonly mid: string,
  ) {}

  /**
   * `rtx`: answer the SFU's RTX offer, so retransmissions arrive on the RTX payload type.
   * `beforeAnswer`: runs after the pull, before the subscriber answers the SFU's offer (and connects).
   */
  static async create(
    api: SfuApi,
    publisher: { sessionId: string; trackName: string },
    options: {
      rtx?: boolean;
      beforeAnswer?: () => Promise<void>;
      /** Pull one simulcast layer (Cloudflare's `simulcast.preferredRid`). */
      preferredRid?: string;
    } = {},
  ): Promise<SyntheticSubscriber> {
    const { preferredRid } = options;
    const body = {
      tracks: [
        {
          location: 'remote',
          sessionId: publisher.sessionId,
          trackName: publisher.trackName,
          ...(preferredRid === undefined ? {} : { simulcast: { preferredRid } }),
        },
      ],
    };
    const { status, json, subscriber } = await retryingHandshake(() =>
      SyntheticSubscriber.attempt(api, body, options),
    );
    if (!subscriber) throw new Error(`tracks/new answered ${status}: ${JSON.stringify(json)}`);
    return subscriber;
  }

  /**
   * A new session sends `body` to `tracks/new`; when the SFU answers with an offer, the subscriber answers
   * it and connects. For shapes the call server may refuse: `subscriber` is absent when no offer came.
   */
  static async attempt(
    api: SfuApi,
    body: unknown,
    options: { rtx?: boolean; beforeAnswer?: () => Promise<void> } = {},
  ): Promise<{ status: number; json: Record<string, unknown>; subscriber?: SyntheticSubscriber }> {
    const { sessionId } = await call<{ sessionId: string }>(api, 'POST', '/sessions/new');
    const { status, json } = await sfuRequest(api, 'POST', `/sessions/${sessionId}/tracks/new`, body);
    const offer = json.sessionDescription as { type: 'offer' | 'answer'; sdp: string } | undefined;
    if (offer?.type !== 'offer') return { status, json };
    const mid = (json.tracks as { mid?: string }[] | undefined)?.find((t) => t.mid)?.mid ?? '';
    const pc = new RTCPeerConnection(peerConfig(options.rtx));
    await options.beforeAnswer?.();
    await pc.setRemoteDescription(offer);
    withoutStunFallback(pc);
    await pc.setLocalDescription(await pc.createAnswer());
    const subscriber = new SyntheticSubscriber(pc, sessionId, mid);
    subscriber.listen();
    await call(api, 'PUT', `/sessions/${sessionId}/renegotiate`, { sessionDescription: pc.localDescription });
    await waitConnected(pc);
    subscriber.skipDecryption();
    return { status, json, subscriber };
  }

  /** WHEP style: the subscriber offers a receive-only m-line and the SFU answers (no renegotiate). */
  static async createWithOffer(
    api: SfuApi,
    publisher: { sessionId: string; trackName: string },
  ): Promise<SyntheticSubscriber> {
    const pc = new RTCPeerConnection(peerConfig());
    pc.addTransceiver('video', { direction: 'recvonly' });
    withoutStunFallback(pc);
    await pc.setLocalDescription(await pc.createOffer());
    const { sessionId } = await call<{ sessionId: string }>(api, 'POST', '/sessions/new');
    const pull = await call<{
      sessionDescription: { type: 'answer'; sdp: string };
      requiresImmediateRenegotiation: boolean;
      tracks: { mid: string }[];
    }>(api, 'POST', `/sessions/${sessionId}/tracks/new`, {
      sessionDescription: pc.localDescription,
      tracks: [{ location: 'remote', sessionId: publisher.sessionId, trackName: publisher.trackName }],
    });
    if (pull.requiresImmediateRenegotiation) throw new Error('an answered pull needs no renegotiation');
    await pc.setRemoteDescription(pull.sessionDescription);
    const subscriber = new SyntheticSubscriber(pc, sessionId, pull.tracks[0]?.mid ?? '');
    subscriber.listen();
    await waitConnected(pc);
    subscriber.skipDecryption();
    return subscriber;
  }

  /** Counts RTP from the clear-text header, from the first packet on. */
  private listen(): void {
    for (const transport of this.pc.dtlsTransports) {
      transport.iceTransport.connection.onData.subscribe((data: Buffer) => this.onDatagram(data));
    }
  }

  /** Stops werift from decrypting what `listen` counts (DTLS installs the SRTP session on connect). */
  private skipDecryption(): void {
    const authError = new SrtpAuthenticationError('benchmark: not decrypted');
    for (const transport of this.pc.dtlsTransports) {
      (transport as unknown as { srtp: unknown }).srtp = {
        decrypt: () => {
          throw authError;
        },
      };
    }
  }

  private onDatagram(data: Buffer): void {
    // RFC 5761 demultiplexing: payload types 64-95 are RTCP.
    const payloadType = data[1] & 0x7f;
    const isRtp = data.length > 12 && data[0] >> 6 === 2 && (payloadType < 64 || payloadType > 95);
    if (!isRtp) return;
    const seq = data.readUInt16BE(2);
    const timestamp = data.readUInt32BE(4);
    this.seen.push({ bytes: data.length, payloadType, ssrc: data.readUInt32BE(8), sequenceNumber: seq });
    if (this.seen.length > 2000) this.seen.splice(0, 1000); // bounded, amortised O(1) per packet
    if (this.firstSeq === undefined) {
      this.firstSeq = seq;
      this.lastSeq = seq;
    } else {
      let delta = seq - (this.lastSeq & 0xffff);
      if (delta > 0x8000) delta -= 0x10000;
      if (delta < -0x8000) delta += 0x10000;
      if (delta > 0) this.lastSeq += delta;
    }
    this.received++;
    let delay = (clock90k() - timestamp) / 90;
    if (delay < -(2 ** 31) / 90) delay += 2 ** 32 / 90;
    this.delaysMs.push(delay);
  }

  /** Stats since the last call (then resets the window). */
  take(): ReceiveStats {
    const expected = this.firstSeq === undefined ? 0 : this.lastSeq - this.firstSeq + 1;
    const stats = { received: this.received, expected, delaysMs: this.delaysMs };
    this.firstSeq = undefined;
    this.received = 0;
    this.delaysMs = [];
    return stats;
  }

  /** Reports `sequenceNumbers` of the SFU's stream `ssrc` as lost (RTCP generic NACK). */
  async nack(ssrc: number, sequenceNumbers: number[]): Promise<void> {
    const feedback = new GenericNack({ senderSsrc: 1, mediaSourceSsrc: ssrc, lost: sequenceNumbers });
    await this.pc.dtlsTransports[0].sendRtcp([new RtcpTransportLayerFeedback({ feedback })]);
  }

  /** Asks the SFU for a keyframe on stream `ssrc` (RTCP PLI). */
  async pictureLoss(ssrc: number): Promise<void> {
    const feedback = new PictureLossIndication({ senderSsrc: 1, mediaSsrc: ssrc });
    await this.pc.dtlsTransports[0].sendRtcp([new RtcpPayloadSpecificFeedback({ feedback })]);
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}
