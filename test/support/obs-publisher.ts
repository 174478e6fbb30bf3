// A WHIP publisher that behaves like OBS (libdatachannel): an offer with Opus (payload 111, mid 0) and H.264
// (payload 96, mid 1), SSRC signalling, NACK and PLI feedback, no RTX, no RIDs, and no candidates at all (OBS
// gathers only after the answer). Underneath it is a werift PeerConnection; the SDP the server sees is
// written here in OBS's shape. Media: the generated H.264 clip and Opus silence, paced in real time.
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  type PeerConfig,
} from 'werift';
import { H264Clip, h264RtpPackets, type ClipOptions } from './h264-clip.js';

const OPUS_PT = 111;
const H264_PT = 96;
const H264_FMTP = 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1';
/** A 20 ms Opus frame of silence (CELT, fullband): what an encoder sends for digital silence. */
const OPUS_SILENCE = Uint8Array.from([0xf8, 0xff, 0xfe]);

function peerConfig(): Partial<PeerConfig> {
  return {
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceUseTcp: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    bundlePolicy: 'max-bundle',
    codecs: {
      audio: [
        new RTCRtpCodecParameters({
          mimeType: 'audio/opus',
          clockRate: 48000,
          channels: 2,
          payloadType: OPUS_PT,
        }),
      ],
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/H264',
          clockRate: 90000,
          payloadType: H264_PT,
          parameters: H264_FMTP,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
        }),
      ],
    },
    headerExtensions: { audio: [], video: [] },
  };
}

/** The offer as OBS writes it, with werift's ICE credentials, fingerprint and SSRCs. */
function obsShapedOffer(weriftOffer: string, audioSsrc: number, videoSsrc: number): string {
  const value = (name: string) => {
    const line = weriftOffer.split('\r\n').find((l) => l.startsWith(`a=${name}:`));
    if (!line) throw new Error(`werift offer has no a=${name}`);
    return line.slice(name.length + 3);
  };
  const cname = 'obs-whip-test';
  const msid = 'obs-stream';
  return [
    'v=0',
    `o=rtc ${Math.floor(Math.random() * 2 ** 31)} 0 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=group:LS 0 1',
    'a=msid-semantic:WMS *',
    'a=setup:actpass',
    `a=ice-ufrag:${value('ice-ufrag')}`,
    `a=ice-pwd:${value('ice-pwd')}`,
    'a=ice-options:ice2,trickle',
    `a=fingerprint:${value('fingerprint')}`,
    `m=audio 9 UDP/TLS/RTP/SAVPF ${OPUS_PT}`,
    'c=IN IP4 0.0.0.0',
    'a=mid:0',
    'a=sendonly',
    `a=ssrc:${audioSsrc} cname:${cname}`,
    `a=ssrc:${audioSsrc} msid:${msid} ${msid}-audio`,
    `a=msid:${msid} ${msid}-audio`,
    'a=rtcp-mux',
    `a=rtpmap:${OPUS_PT} opus/48000/2`,
    `a=fmtp:${OPUS_PT} minptime=10;maxaveragebitrate=96000;stereo=1;sprop-stereo=1;useinbandfec=1`,
    `m=video 9 UDP/TLS/RTP/SAVPF ${H264_PT}`,
    'c=IN IP4 0.0.0.0',
    'a=mid:1',
    'a=sendonly',
    `a=ssrc:${videoSsrc} cname:${cname}`,
    `a=ssrc:${videoSsrc} msid:${msid} ${msid}-video`,
    `a=msid:${msid} ${msid}-video`,
    'a=rtcp-mux',
    `a=rtpmap:${H264_PT} H264/90000`,
    `a=rtcp-fb:${H264_PT} nack`,
    `a=rtcp-fb:${H264_PT} nack pli`,
    `a=rtcp-fb:${H264_PT} goog-remb`,
    `a=fmtp:${H264_PT} ${H264_FMTP}`,
    '',
  ].join('\r\n');
}

export class ObsPublisher {
  /** Picture-loss requests that reached the publisher. */
  pliCount = 0;
  framesSent = 0;
  private readonly clip: H264Clip;
  private videoSequence = 0;
  private audioSequence = 0;
  private audioTimestamp = 0;
  private forceKeyframe = false;
  private timers: ReturnType<typeof setInterval>[] = [];

  private constructor(
    readonly pc: RTCPeerConnection,
    /** The SDP offer, exactly as OBS would POST it. */
    readonly offer: string,
    private readonly audio: MediaStreamTrack,
    private readonly video: MediaStreamTrack,
    clip: ClipOptions,
  ) {
    this.clip = new H264Clip(clip);
    const videoSender = pc.getTransceivers()[1].sender;
    videoSender.onPictureLossIndication.subscribe(() => {
      this.pliCount++;
      this.forceKeyframe = true;
    });
  }

  static async create(clip: ClipOptions = {}): Promise<ObsPublisher> {
    const pc = new RTCPeerConnection(peerConfig());
    const audio = new MediaStreamTrack({ kind: 'audio' });
    const video = new MediaStreamTrack({ kind: 'video' });
    pc.addTransceiver(audio, { direction: 'sendonly' });
    pc.addTransceiver(video, { direction: 'sendonly' });
    // werift's full ICE agent would fall back to a public STUN server; this one stays on loopback.
    for (const transport of pc.iceTransports) {
      (transport.connection as unknown as { stunServer?: unknown }).stunServer = undefined;
    }
    await pc.setLocalDescription(await pc.createOffer());
    const [a, v] = pc.getTransceivers();
    const offer = obsShapedOffer(pc.localDescription!.sdp, a.sender.ssrc, v.sender.ssrc);
    return new ObsPublisher(pc, offer, audio, video, clip);
  }

  /** Applies the server's answer (its candidates included) and waits for ICE and DTLS. */
  async accept(answer: string, timeoutMs = 10_000): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
    if (this.pc.connectionState === 'connected') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('OBS publisher did not connect')), timeoutMs);
      this.pc.connectionStateChange.subscribe((state) => {
        if (state !== 'connected') return;
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends video at the clip's frame rate and audio every 20 ms until `stop()`. */
  start(): void {
    const frameMs = 1000 / this.clip.fps;
    this.timers.push(setInterval(() => this.sendFrame(), frameMs));
    this.timers.push(setInterval(() => this.sendAudio(), 20));
    this.sendFrame();
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  async close(): Promise<void> {
    this.stop();
    await this.pc.close();
  }

  private sendFrame(): void {
    const unit = this.clip.next(this.forceKeyframe);
    this.forceKeyframe = false;
    const timestamp = Math.floor(performance.now() * 90) >>> 0;
    const next = () => (this.videoSequence = (this.videoSequence + 1) & 0xffff);
    for (const packet of h264RtpPackets(unit, H264_PT, timestamp, next)) this.video.writeRtp(packet);
    this.framesSent++;
  }

  private sendAudio(): void {
    this.audioSequence = (this.audioSequence + 1) & 0xffff;
    this.audioTimestamp = (this.audioTimestamp + 960) >>> 0;
    const header = new RtpHeader({
      payloadType: OPUS_PT,
      sequenceNumber: this.audioSequence,
      timestamp: this.audioTimestamp,
      marker: false,
    });
    this.audio.writeRtp(new RtpPacket(header, Buffer.from(OPUS_SILENCE)));
  }
}
