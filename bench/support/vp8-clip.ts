// A synthetic publisher of real VP8 (recorded by vp8-clip-recorder.ts): a werift peer publishing through WHIP,
// video only, looping the clip in real time. The loop restarts on its keyframe, also when the SFU asks for one.
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import { peerConfig, waitConnected, withoutStunFallback } from '../../test/support/werift-peers.js';
import type { Vp8Clip } from './vp8-clip-recorder.js';

export { recordVp8Clip, type Vp8Clip } from './vp8-clip-recorder.js';

const MAX_PAYLOAD = 1_100;

/** RFC 7741 packetization: a one-byte payload descriptor (S=1 on the first packet, partition 0). */
function packetizeVp8(frame: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  for (let offset = 0; offset < frame.length; offset += MAX_PAYLOAD) {
    const chunk = frame.subarray(offset, offset + MAX_PAYLOAD);
    packets.push(Buffer.concat([Buffer.from([offset === 0 ? 0x10 : 0x00]), chunk]));
  }
  return packets;
}

/** A WHIP publisher (video only, VP8) that loops a recorded clip in real time. */
export class Vp8ClipPublisher {
  pliCount = 0;
  private index = 0;
  private sequence = Math.floor(Math.random() * 0xffff);
  private timestamp = Math.floor(Math.random() * 2 ** 31);
  private timer: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly track: MediaStreamTrack,
    private readonly clip: Vp8Clip,
    private readonly resource: string,
    private readonly token: string,
  ) {
    pc.getTransceivers()[0]!.sender.onPictureLossIndication.subscribe(() => {
      this.pliCount++;
      this.index = 0;
    });
  }

  /** Publishes into the WHIP endpoint `url`; tries once more when werift's handshake fails on a busy machine. */
  static async publish(url: string, token: string, clip: Vp8Clip): Promise<Vp8ClipPublisher> {
    try {
      return await Vp8ClipPublisher.connect(url, token, clip);
    } catch (error) {
      if ((error as Error).message !== 'peer did not connect') throw error;
      return Vp8ClipPublisher.connect(url, token, clip);
    }
  }

  private static async connect(url: string, token: string, clip: Vp8Clip): Promise<Vp8ClipPublisher> {
    const pc = new RTCPeerConnection(peerConfig());
    const track = new MediaStreamTrack({ kind: 'video' });
    pc.addTransceiver(track, { direction: 'sendonly' });
    withoutStunFallback(pc);
    await pc.setLocalDescription(await pc.createOffer());
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/sdp' },
      body: pc.localDescription!.sdp,
      redirect: 'manual',
    });
    const answer = await response.text();
    if (response.status !== 201) {
      await pc.close();
      throw new Error(`WHIP POST answered ${response.status}: ${answer.slice(0, 300)}`);
    }
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await waitConnected(pc);
    const resource = new URL(response.headers.get('location') ?? '', url).href;
    const publisher = new Vp8ClipPublisher(pc, track, clip, resource, token);
    publisher.start();
    return publisher;
  }

  private start(): void {
    const frameMs = 1000 / this.clip.fps;
    this.timer = setInterval(() => this.sendFrame(), frameMs);
  }

  private sendFrame(): void {
    const frame = this.clip.frames[this.index]!;
    this.index = (this.index + 1) % this.clip.frames.length;
    this.timestamp = (this.timestamp + 90_000 / this.clip.fps) >>> 0;
    const payloads = packetizeVp8(frame);
    payloads.forEach((payload, i) => {
      this.sequence = (this.sequence + 1) & 0xffff;
      const header = new RtpHeader({
        payloadType: 96,
        sequenceNumber: this.sequence,
        timestamp: this.timestamp,
        marker: i === payloads.length - 1,
      });
      this.track.writeRtp(new RtpPacket(header, payload));
    });
  }

  /** Ends the stream like an encoder does: DELETE on the WHIP resource, then close. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await fetch(this.resource, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${this.token}` },
    }).catch(() => undefined);
    await this.pc.close();
  }
}
