// Runs inside a page: what its RTCPeerConnections put on the wire, from getStats, summed over every connection
// the page made (`keepPeerConnections` must run first, as an init script). For per-second rates, read twice.

export interface RtpCounts {
  /** RTP packets sent, by kind (outbound-rtp packetsSent, every layer). */
  audioSent: number;
  videoSent: number;
  /** RTP packets received, by kind (inbound-rtp packetsReceived). */
  audioReceived: number;
  videoReceived: number;
  /** Everything the transports sent and received: RTP, RTCP, SCTP, STUN. */
  transportSent: number;
  transportReceived: number;
}

/** An init script: keeps every RTCPeerConnection the page makes in `window.__benchPeerConnections`. */
export function keepPeerConnections(): void {
  const w = window as unknown as { __benchPeerConnections: RTCPeerConnection[] };
  w.__benchPeerConnections = [];
  window.RTCPeerConnection = new Proxy(RTCPeerConnection, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      w.__benchPeerConnections.push(pc);
      return pc;
    },
  });
}

/** The page's counts now. No named inner functions: tsx would wrap them in a helper the page doesn't have. */
export async function rtpCounts(): Promise<RtpCounts> {
  const counts: RtpCounts = {
    audioSent: 0,
    videoSent: 0,
    audioReceived: 0,
    videoReceived: 0,
    transportSent: 0,
    transportReceived: 0,
  };
  const pcs = (window as unknown as { __benchPeerConnections?: RTCPeerConnection[] }).__benchPeerConnections;
  for (const pc of pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    for (const s of (await pc.getStats()).values()) {
      if (s.type === 'outbound-rtp') {
        if (s.kind === 'audio') counts.audioSent += s.packetsSent ?? 0;
        else counts.videoSent += s.packetsSent ?? 0;
      } else if (s.type === 'inbound-rtp') {
        if (s.kind === 'audio') counts.audioReceived += s.packetsReceived ?? 0;
        else counts.videoReceived += s.packetsReceived ?? 0;
      } else if (s.type === 'transport') {
        counts.transportSent += s.packetsSent ?? 0;
        counts.transportReceived += s.packetsReceived ?? 0;
      }
    }
  }
  return counts;
}
