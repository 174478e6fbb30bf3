// A synthetic simulcast publisher for benchmarks: one werift video m-line offering two RIDs (`h` and `l`), each
// layer its own SSRC with the rtp-stream-id extension, sending fixed-size packets at its own rate. werift's
// sender knows one SSRC and one RID, so each packet sets both on the sender just before it is written. werift
// reads them when it builds the header, which is later whenever its send queue is busy (a loaded machine): so
// packets go out one at a time, each after the one before has left, or the high layer's packets left labelled as
// the low layer (the "high layer arrives incomplete" the SFU bench once saw). werift's SRTP guesses the rollover counter from
// the sequence number across SSRCs, so the layers share one starting number and must keep the same packet rate:
// sequence numbers drifting 2^15 apart would break the SFU's decryption.
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RtpHeader,
  RtpPacket,
  useSdesMid,
  useSdesRTPStreamId,
  type PeerConfig,
  type RTCRtpSender,
  type RTCRtpTransceiver,
} from 'werift';
import { clock90k, peerConfig, publishThroughSfu, type SfuApi } from './werift-peers.js';

export interface SimulcastLayer {
  readonly rid: string;
  readonly packetsPerSecond: number;
  readonly payloadBytes: number;
}

interface LayerState extends SimulcastLayer {
  readonly ssrc: number;
  readonly payload: Buffer;
  sequence: number;
}

/** A werift peer that publishes one video m-line offering these RIDs through `api`, connected. */
export async function publishSimulcast(
  api: SfuApi,
  config: Partial<PeerConfig>,
  rids: readonly string[],
  trackName: string,
): Promise<{ pc: RTCPeerConnection; transceiver: RTCRtpTransceiver; sessionId: string }> {
  const pc = new RTCPeerConnection({
    ...config,
    headerExtensions: { audio: [], video: [useSdesMid(), useSdesRTPStreamId()] },
  });
  const transceiver = pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), {
    direction: 'sendonly',
    simulcast: rids.map((rid) => ({ rid, direction: 'send' as const })),
  });
  const sessionId = await publishThroughSfu(api, pc, transceiver, trackName);
  return { pc, transceiver, sessionId };
}

/**
 * Writes packets as layers of one werift sender, one at a time: werift reads the sender's SSRC and RID when it
 * builds a header, so each is set just before its packet goes.
 */
export class LayerSender {
  #sending: Promise<void> = Promise.resolve();

  constructor(private readonly sender: RTCRtpSender) {}

  /** Resolves once the packet is written (or failed to be: a closing peer drops it). */
  write(ssrc: number, rid: string, packet: RtpPacket): Promise<void> {
    const sender = this.sender as unknown as { ssrc: number; rtpStreamId?: string };
    this.#sending = this.#sending.then(
      () => {
        sender.ssrc = ssrc;
        sender.rtpStreamId = rid;
        return this.sender.sendRtp(packet).then(() => undefined);
      },
      () => undefined,
    );
    return this.#sending.catch(() => undefined);
  }
}

/** A VP8 keyframe start (640x480) padded to `bytes`: enough for the SFU to rank and switch layers. */
function keyframe(bytes: number): Buffer {
  const payload = Buffer.alloc(bytes, 0x5a);
  Buffer.from([0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]).copy(payload, 0);
  return payload;
}

/** Packets waiting for the ones before them; beyond this the machine cannot keep up, and new ones are dropped. */
const MAX_QUEUED = 400;

export class SimulcastPublisher {
  /** Packets dropped because the send queue was full (a publisher starved of CPU, like an encoder skipping). */
  dropped = 0;
  #timer?: ReturnType<typeof setInterval>;
  readonly #layers: LayerState[];
  #queued = 0;
  readonly #sender: LayerSender;

  private constructor(
    readonly pc: RTCPeerConnection,
    transceiver: RTCRtpTransceiver,
    readonly sessionId: string,
    readonly trackName: string,
    layers: readonly SimulcastLayer[],
  ) {
    this.#sender = new LayerSender(transceiver.sender);
    const sequence = Math.floor(Math.random() * 0xffff);
    this.#layers = layers.map((layer, i) => ({
      ...layer,
      ssrc: 0x1000_0000 + i * 0x100 + Math.floor(Math.random() * 0xff),
      payload: keyframe(layer.payloadBytes),
      sequence,
    }));
  }

  static async create(api: SfuApi, layers: readonly SimulcastLayer[]): Promise<SimulcastPublisher> {
    if (new Set(layers.map((l) => l.packetsPerSecond)).size > 1) {
      throw new RangeError('every layer must send the same packet rate (see the note on SRTP above)');
    }
    const trackName = `simulcast-${Math.random().toString(36).slice(2)}`;
    const rids = layers.map(({ rid }) => rid);
    const { pc, transceiver, sessionId } = await publishSimulcast(api, peerConfig(), rids, trackName);
    return new SimulcastPublisher(pc, transceiver, sessionId, trackName, layers);
  }

  /** Sends every layer at its own rate, paced in 5 ms slices. */
  start(): void {
    const started = performance.now();
    const sent = this.#layers.map(() => 0);
    this.#timer = setInterval(() => {
      const elapsed = performance.now() - started;
      this.#layers.forEach((layer, i) => {
        const due = Math.floor((elapsed * layer.packetsPerSecond) / 1000) - sent[i]!;
        for (let n = 0; n < Math.min(due, 200); n++, sent[i]!++) this.#send(layer);
      });
    }, 5);
  }

  #send(layer: LayerState): void {
    if (this.#queued >= MAX_QUEUED) {
      this.dropped++;
      return;
    }
    layer.sequence = (layer.sequence + 1) & 0xffff;
    const header = new RtpHeader({
      payloadType: 96,
      sequenceNumber: layer.sequence,
      timestamp: clock90k(),
      marker: true,
    });
    this.#queued++;
    void this.#sender
      .write(layer.ssrc, layer.rid, new RtpPacket(header, layer.payload))
      .finally(() => this.#queued--);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.pc.close();
  }
}
