// Payload types and header-extension ids inside one session. Everything in a session shares one BUNDLE
// group, where libwebrtc rejects a payload type or extension id that means two different things. The
// publisher's numbers (its browser's choice) are kept when they are free, so most pulls need no translation.
import {
  RTCRtpCodecParameters,
  RTCRtpHeaderExtensionParameters,
  SessionDescription,
  type RTCPeerConnection,
} from 'werift';
import { audioFeedback, videoFeedback } from './werift-config.js';

const DYNAMIC_PAYLOAD_TYPES = [...range(96, 127), ...range(35, 63)];
/** Chrome's own ids for these URIs, so an SFU offer usually matches what the browser already uses. */
const PREFERRED_EXTENSION_IDS: Record<string, number> = {
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01': 3,
  'urn:ietf:params:rtp-hdrext:sdes:mid': 4,
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id': 10,
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id': 11,
};
/**
 * Offered on every pull, as Cloudflare does. The RID ones are never written, but Chrome offers only the
 * extensions a session already negotiated: without them in the first (SFU) offer, a simulcast camera
 * published after a pull fails ("negotiates simulcast but does not negotiate the RID RTP header extension").
 */
const SUBSCRIBER_EXTENSIONS = [
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function codecKey(codec: { mimeType: string; clockRate: number; channels?: number; parameters?: string }) {
  const fmtp = (codec.parameters ?? '')
    .split(';')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(';');
  return `${codec.mimeType.toLowerCase()}/${codec.clockRate}/${codec.channels ?? ''}/${fmtp}`;
}

export class RtpNumbering {
  /** Assignments made for SFU offers that may not be in a description yet. */
  private readonly payloadTypes = new Map<number, string>();
  private readonly extensionIds = new Map<string, number>();

  constructor(private readonly pc: RTCPeerConnection) {}

  /** The codecs (primary, plus RTX for video) an SFU-offered m-line uses to forward `source`. */
  subscriberCodecs(source: RTCRtpCodecParameters, kind: 'audio' | 'video'): RTCRtpCodecParameters[] {
    const used = this.usedPayloadTypes();
    const primary = new RTCRtpCodecParameters({
      mimeType: source.mimeType,
      clockRate: source.clockRate,
      channels: source.channels,
      parameters: source.parameters,
      rtcpFeedback: kind === 'video' ? videoFeedback() : audioFeedback(),
      payloadType: this.pickPayloadType(used, codecKey(source), source.payloadType),
    });
    if (kind !== 'video') return [primary];
    const rtx = { mimeType: 'video/rtx', clockRate: 90000, parameters: `apt=${primary.payloadType}` };
    return [
      primary,
      new RTCRtpCodecParameters({ ...rtx, payloadType: this.pickPayloadType(used, codecKey(rtx)) }),
    ];
  }

  /** Header extensions (mid, transport-cc, RIDs) for an SFU-offered m-line, with ids free in this session. */
  subscriberExtensions(): RTCRtpHeaderExtensionParameters[] {
    const used = this.usedExtensionIds();
    return SUBSCRIBER_EXTENSIONS.map((uri) => {
      let id = used.byUri.get(uri);
      if (id === undefined) {
        const preferred = PREFERRED_EXTENSION_IDS[uri];
        id =
          preferred !== undefined && !used.byId.has(preferred)
            ? preferred
            : range(1, 14).find((n) => !used.byId.has(n));
        if (id === undefined) throw new Error('no free header extension id');
        used.byId.set(id, uri);
        used.byUri.set(uri, id);
        this.extensionIds.set(uri, id);
      }
      return new RTCRtpHeaderExtensionParameters({ id, uri });
    });
  }

  private pickPayloadType(used: Map<number, string>, key: string, wanted?: number): number {
    for (const [pt, k] of used) if (k === key) return pt;
    const pt =
      wanted !== undefined && !used.has(wanted) ? wanted : DYNAMIC_PAYLOAD_TYPES.find((n) => !used.has(n));
    if (pt === undefined) throw new Error('no free payload type');
    used.set(pt, key);
    this.payloadTypes.set(pt, key);
    return pt;
  }

  private descriptions(): SessionDescription[] {
    const sdps = [
      this.pc.localDescription?.sdp,
      this.pc.remoteDescription?.sdp,
      this.pc.currentLocalDescription?.sdp,
      this.pc.currentRemoteDescription?.sdp,
    ];
    return [...new Set(sdps.filter((s): s is string => !!s))].map((s) => SessionDescription.parse(s));
  }

  private usedPayloadTypes(): Map<number, string> {
    const used = new Map(this.payloadTypes);
    for (const d of this.descriptions()) {
      for (const m of d.media) for (const c of m.rtp.codecs) used.set(c.payloadType, codecKey(c));
    }
    for (const t of this.pc.getTransceivers()) for (const c of t.codecs) used.set(c.payloadType, codecKey(c));
    return used;
  }

  private usedExtensionIds(): { byId: Map<number, string>; byUri: Map<string, number> } {
    const byId = new Map<number, string>();
    const byUri = new Map<string, number>();
    const add = (id: number, uri: string) => {
      byId.set(id, uri);
      if (!byUri.has(uri)) byUri.set(uri, id);
    };
    for (const [uri, id] of this.extensionIds) add(id, uri);
    for (const d of this.descriptions())
      for (const m of d.media) for (const e of m.rtp.headerExtensions) add(e.id, e.uri);
    return { byId, byUri };
  }
}
