// A synthetic simulcast camera that a browser can decode: one werift video m-line offering RIDs, each layer the
// generated H.264 clip (h264-clip.ts) at its own size. A browser's own simulcast follows its bandwidth estimate
// and its CPU, so on a loaded machine it may send one small layer only; this one always sends every layer, so a
// test sees the subscriber's layer choice alone.
//
// Layers are written as in werift-simulcast-publisher.ts (one sender, its SSRC and RID set per packet). werift's
// SRTP guesses the rollover counter from sequence numbers across SSRCs, so the layers share a starting number;
// they drift apart by the difference of their packet rates (tens a second), far from 2^15 for the few minutes a
// test runs.
import { RTCRtpCodecParameters, type RTCPeerConnection, type RTCRtpTransceiver } from 'werift';
import { H264Clip, h264RtpPackets } from './h264-clip.js';
import { peerConfig, type SfuApi } from './werift-peers.js';
import { LayerSender, publishSimulcast } from './werift-simulcast-publisher.js';

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
  readonly #sender: LayerSender;
  readonly #layers: LayerState[];

  private constructor(
    readonly pc: RTCPeerConnection,
    transceiver: RTCRtpTransceiver,
    readonly sessionId: string,
    readonly trackName: string,
    layers: readonly H264Layer[],
  ) {
    this.#sender = new LayerSender(transceiver.sender);
    const sequence = Math.floor(Math.random() * 0x7fff);
    this.#layers = layers.map((layer, i) => ({
      rid: layer.rid,
      ssrc: 0x2000_0000 + i * 0x100 + Math.floor(Math.random() * 0xff),
      clip: new H264Clip({ ...layer, fps: FPS, keyframeInterval: KEYFRAME_INTERVAL }),
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
    const h264 = new RTCRtpCodecParameters({
      mimeType: 'video/H264',
      clockRate: 90000,
      payloadType: H264_PT,
      parameters: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1',
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
    });
    const config = { ...peerConfig(), codecs: { audio: [], video: [h264] } };
    const trackName = `h264-simulcast-${Math.random().toString(36).slice(2)}`;
    const rids = layers.map(({ rid }) => rid);
    const { pc, transceiver, sessionId } = await publishSimulcast(api, config, rids, trackName);
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
      const next = () => (layer.sequence = (layer.sequence + 1) & 0xffff);
      for (const packet of h264RtpPackets(unit, H264_PT, timestamp, next)) {
        void this.#sender.write(layer.ssrc, layer.rid, packet);
      }
    }
  }
}
