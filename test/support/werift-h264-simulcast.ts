// A synthetic simulcast camera that a browser can decode: one werift video m-line offering RIDs, each layer the
// generated H.264 clip (h264-clip.ts) at its own size. A browser's own simulcast follows its bandwidth estimate
// and its CPU, so on a loaded machine it may send one small layer only; this one always sends every layer, so a
// test sees the subscriber's layer choice alone.
//
// Like werift-simulcast-publisher.ts, each packet sets the sender's SSRC and RID just before it is written, one
// packet at a time. werift's SRTP guesses the rollover counter from sequence numbers across SSRCs, so the layers
// share a starting number; they drift apart by the difference of their packet rates (tens a second), which stays
// far from 2^15 for the few minutes a test runs.
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  useSdesMid,
  useSdesRTPStreamId,
  type RTCRtpTransceiver,
} from 'werift';
import { H264Clip, packetizeH264 } from './h264-clip.js';
import { peerConfig, publishThroughSfu, type SfuApi } from './werift-peers.js';

/** One layer: its RID and picture size (multiples of 16). */
export interface H264Layer {
  readonly rid: string;
  readonly width: number;
  readonly height: number;
}

interface LayerState {
  readonly rid: string;
  readonly ssrc: number;
  readonly clip: H264Clip;
  sequence: number;
  forceKeyframe: boolean;
}

const H264_PT = 96;
const FPS = 15;
/**
 * An IDR every 10 s, and at once on a picture-loss request, as a browser's encoder does. The clip's IDRs are raw
 * samples (over 100 KB at 384×288): sent every second, their bursts alone make a loaded machine's call "poor".
 */
const KEYFRAME_INTERVAL = 150;

export class H264SimulcastPublisher {
  /** Picture-loss requests that reached the publisher (each makes every layer's next frame an IDR). */
  pliCount = 0;
  #timer?: ReturnType<typeof setInterval>;
  #sending: Promise<void> = Promise.resolve();
  readonly #layers: LayerState[];

  private constructor(
    readonly pc: RTCPeerConnection,
    private readonly transceiver: RTCRtpTransceiver,
    readonly sessionId: string,
    readonly trackName: string,
    layers: readonly H264Layer[],
  ) {
    const sequence = Math.floor(Math.random() * 0x7fff);
    this.#layers = layers.map((layer, i) => ({
      rid: layer.rid,
      ssrc: 0x2000_0000 + i * 0x100 + Math.floor(Math.random() * 0xff),
      clip: new H264Clip({
        width: layer.width,
        height: layer.height,
        fps: FPS,
        keyframeInterval: KEYFRAME_INTERVAL,
      }),
      sequence,
      forceKeyframe: false,
    }));
    // werift routes RTCP to a sender by the SSRC it was created with; a PLI names the layer's own SSRC.
    const router = (pc as unknown as { router: { ssrcTable: Record<number, unknown> } }).router;
    for (const layer of this.#layers) router.ssrcTable[layer.ssrc] = transceiver.sender;
    transceiver.sender.onPictureLossIndication.subscribe(() => {
      this.pliCount++;
      for (const layer of this.#layers) layer.forceKeyframe = true;
    });
  }

  /** Publishes through `api` (the SFU, or the call server's proxy) and connects; `start()` sends. */
  static async create(api: SfuApi, layers: readonly H264Layer[]): Promise<H264SimulcastPublisher> {
    const pc = new RTCPeerConnection({
      ...peerConfig(),
      codecs: {
        audio: [],
        video: [
          new RTCRtpCodecParameters({
            mimeType: 'video/H264',
            clockRate: 90000,
            payloadType: H264_PT,
            parameters: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1',
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
          }),
        ],
      },
      headerExtensions: { audio: [], video: [useSdesMid(), useSdesRTPStreamId()] },
    });
    const transceiver = pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), {
      direction: 'sendonly',
      simulcast: layers.map(({ rid }) => ({ rid, direction: 'send' as const })),
    });
    const trackName = `h264-simulcast-${Math.random().toString(36).slice(2)}`;
    const sessionId = await publishThroughSfu(api, pc, transceiver, trackName);
    return new H264SimulcastPublisher(pc, transceiver, sessionId, trackName, layers);
  }

  /** Sends a frame of every layer at 15 fps until `close()`. */
  start(): void {
    this.#timer = setInterval(() => this.#sendFrames(), 1000 / FPS);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.pc.close();
  }

  #sendFrames(): void {
    const timestamp = Math.floor(performance.now() * 90) >>> 0;
    for (const layer of this.#layers) {
      const unit = layer.clip.next(layer.forceKeyframe);
      layer.forceKeyframe = false;
      const payloads = packetizeH264(unit);
      payloads.forEach((payload, i) => {
        layer.sequence = (layer.sequence + 1) & 0xffff;
        const header = new RtpHeader({
          payloadType: H264_PT,
          sequenceNumber: layer.sequence,
          timestamp,
          marker: i === payloads.length - 1,
        });
        this.#write(layer, new RtpPacket(header, Buffer.from(payload)));
      });
    }
  }

  /** One packet at a time: werift reads the sender's SSRC and RID when it builds the header. */
  #write(layer: LayerState, packet: RtpPacket): void {
    const sender = this.transceiver.sender as unknown as { ssrc: number; rtpStreamId?: string };
    this.#sending = this.#sending
      .then(() => {
        sender.ssrc = layer.ssrc;
        sender.rtpStreamId = layer.rid;
        return this.transceiver.sender.sendRtp(packet);
      })
      .then(
        () => undefined,
        () => undefined,
      );
  }
}
