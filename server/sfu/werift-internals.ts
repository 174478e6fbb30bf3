// werift fields and behaviour outside its public API that the SFU reads or sets, each behind one named
// function. Together with werift-patches.ts, werift-early-dtls.ts and werift-packet-writer.ts, this is
// everything to re-check when werift is upgraded (package.json pins it exactly for that reason).
import type { RTCDtlsTransport, RTCIceTransport, RTCRtpTransceiver } from 'werift';

interface UdpSocketLike {
  setRecvBufferSize(bytes: number): void;
  setSendBufferSize(bytes: number): void;
}
interface IceConnectionInternals {
  checkList?: { requestsReceived: number }[];
  protocols?: { transport?: { socket?: UdpSocketLike } }[];
}

const iceConnectionOf = (transport: RTCIceTransport) =>
  transport.connection as unknown as IceConnectionInternals;

/** STUN checks received on all of the transport's candidate pairs: a browser that is alive keeps sending. */
export function stunRequestsReceived(transport: RTCIceTransport): number {
  let count = 0;
  for (const pair of iceConnectionOf(transport).checkList ?? []) count += pair.requestsReceived;
  return count;
}

/** The UDP sockets the transport has bound so far (none before gathering). */
export function udpSocketsOf(transport: RTCIceTransport): UdpSocketLike[] {
  return (iceConnectionOf(transport).protocols ?? []).flatMap((p) =>
    p.transport?.socket ? [p.transport.socket] : [],
  );
}

/**
 * Marks a finished track's transceiver so werift's addTrack never gives it another track: a new pull gets a
 * new transceiver, at most on the recycled m-line (werift-mline-recycling.ts).
 */
export function retireTransceiver(transceiver: RTCRtpTransceiver): void {
  transceiver.usedForSender = true;
}

/** Sends an RTCP compound packet the SFU serialized itself; werift's sendRtcp only calls `serialize()`. */
export function sendSerializedRtcp(transport: RTCDtlsTransport, packet: Buffer): Promise<unknown> {
  return transport.sendRtcp([{ serialize: () => packet }] as never);
}
