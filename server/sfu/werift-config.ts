// The werift PeerConnection every session gets: ICE-lite on 127.0.0.1 only, one BUNDLE transport, and the
// codecs and header extensions the SFU can forward (shared/docs/calls-api.md §4.2).
import {
  RTCPeerConnection,
  type RTCRtpCodecParameters,
  useH264,
  useNACK,
  useOPUS,
  usePLI,
  useREMB,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
  useTWCC,
  useTransportWideCC,
  useVP8,
  type PeerConfig,
} from 'werift';
import { isLoopbackAddress } from './loopback.js';

/** RTCP feedback the SFU supports on video: NACK, PLI and transport-cc (REMB is parsed, never generated). */
export const videoFeedback = () => [useNACK(), usePLI(), useTWCC(), useREMB()];
export const audioFeedback = () => [useTWCC()];

/**
 * Codecs a publisher may send. RTX stays out on purpose: werift cannot map RTX of simulcast layers (no
 * `a=ssrc`) back to a RID, so Chrome retransmits on the media SSRC instead.
 */
export function publisherCodecs(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
  return {
    audio: [useOPUS({ rtcpFeedback: audioFeedback() })],
    video: [
      useVP8({ rtcpFeedback: videoFeedback() }),
      useH264({
        rtcpFeedback: videoFeedback(),
        parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      }),
    ],
  };
}

export interface WeriftOptions {
  /** Restricts each session's UDP port to this range (inclusive); any free port when absent. */
  portRange?: [number, number];
}

export function createPeerConnection(options: WeriftOptions = {}): RTCPeerConnection {
  const config: Partial<PeerConfig> = {
    iceServers: [],
    // ICE-lite: the browser nominates; also the only mode in which werift never resolves its STUN fallback.
    iceLite: true,
    // No NIC enumeration; 127.0.0.1 is the only host candidate and the socket binds to it.
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceUseTcp: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceFilterStunResponse: (_message, address) => isLoopbackAddress(address[0]),
    iceFilterCandidatePair: (pair) => isLoopbackAddress(pair.remoteCandidate.host),
    icePortRange: options.portRange,
    bundlePolicy: 'max-bundle',
    codecs: publisherCodecs(),
    headerExtensions: {
      audio: [useSdesMid(), useTransportWideCC()],
      video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId(), useTransportWideCC()],
    },
  };
  return new RTCPeerConnection(config);
}
