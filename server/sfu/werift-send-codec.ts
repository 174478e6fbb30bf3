// Keeps a forwarding sender on its publication's codec. werift sends with the first codec its last negotiation
// left on the m-line, in the SFU's configured order (VP8 before H.264) whenever the browser made the offer:
// after such a renegotiation an H.264 pull went out labelled VP8, and the browser decoded nothing more.
// So after every negotiation (werift's `prepareSend`) the sender is set back to the publication's codec, and
// its RTX to that codec's RTX, when the m-line negotiated them.
import { codecParametersFromString, type RTCRtpCodecParameters, type RTCRtpSender } from 'werift';

/** What a publication sends: the codec to keep. */
export interface SendCodec {
  readonly mimeType: string;
  readonly clockRate: number;
  readonly parameters?: string;
}

interface SenderInternals {
  negotiatedCodecs?: RTCRtpCodecParameters[];
  codec?: RTCRtpCodecParameters;
  sendPrimaryCodec?: RTCRtpCodecParameters;
  rtxPayloadType?: number;
  prepareSend(params: unknown): unknown;
}

const wanted = new WeakMap<RTCRtpSender, SendCodec>();

/** The codec's fmtp parameters, parsed as werift parses them (numbers where they are numbers). */
const fmtp = (parameters: string | undefined): Record<string, unknown> =>
  codecParametersFromString(parameters ?? '');

/** H.264 only decodes in the packetization mode it was negotiated with (RFC 6184 §8.1). */
const packetizationMode = (parameters: string | undefined) =>
  String(fmtp(parameters)['packetization-mode'] ?? 0);

/** The negotiated codec that carries `codec`: the same parameters if offered, else a compatible one. */
export function matchingCodec(
  negotiated: readonly RTCRtpCodecParameters[],
  codec: SendCodec,
): RTCRtpCodecParameters | undefined {
  const sameKind = negotiated.filter(
    (c) => c.mimeType.toLowerCase() === codec.mimeType.toLowerCase() && c.clockRate === codec.clockRate,
  );
  const h264 = codec.mimeType.toLowerCase() === 'video/h264';
  const compatible = h264
    ? sameKind.filter((c) => packetizationMode(c.parameters) === packetizationMode(codec.parameters))
    : sameKind;
  return compatible.find((c) => (c.parameters ?? '') === (codec.parameters ?? '')) ?? compatible[0];
}

function repin(sender: RTCRtpSender): void {
  const s = sender as unknown as SenderInternals;
  const codec = wanted.get(sender);
  const match = codec && s.negotiatedCodecs && matchingCodec(s.negotiatedCodecs, codec);
  if (!match || s.codec === match) return;
  s.codec = match;
  s.sendPrimaryCodec = match;
  s.rtxPayloadType = s.negotiatedCodecs!.find(
    (c) =>
      c.mimeType.toLowerCase().endsWith('/rtx') &&
      String(fmtp(c.parameters).apt) === String(match.payloadType),
  )?.payloadType;
}

/** Keeps `sender` on `codec` now and after every later negotiation of its m-line. */
export function keepSendCodec(sender: RTCRtpSender, codec: SendCodec): void {
  const s = sender as unknown as SenderInternals;
  if (!wanted.has(sender) && typeof s.prepareSend === 'function') {
    const prepareSend = s.prepareSend.bind(sender);
    s.prepareSend = (params: unknown) => {
      const result = prepareSend(params);
      repin(sender);
      return result;
    };
  }
  wanted.set(sender, codec);
  repin(sender);
}
