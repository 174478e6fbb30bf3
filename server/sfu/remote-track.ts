// A track a session receives ("remote" in Cloudflare's API): the transceiver the SFU sends on, and the
// forwarder feeding it from a publication. Also where that transceiver comes from: a new m-line in an SFU
// offer (partytracks), or a receive m-line of the browser's own offer (WHEP style).
import { RTCRtpCodecParameters, type RTCRtpTransceiver } from 'werift';
import { itemErrors, type ItemError } from './errors.js';
import { Forwarder, type SubscriberLink } from './forwarder.js';
import type { ForwardingCounters, Publication } from './publication.js';
import type { SdpSummary } from './sdp.js';
import type { SessionPeer } from './session-peer.js';
import { retireTransceiver } from './werift-internals.js';
import { matchingCodec } from './werift-send-codec.js';

export class RemoteTrack {
  status: 'active' | 'inactive' = 'active';
  forwarder: Forwarder;
  #pending = true;
  sessionId: string;
  trackName: string;

  constructor(
    public mid: string,
    readonly transceiver: RTCRtpTransceiver,
    publication: Publication,
    preferredRid: string | undefined,
    private readonly counters: ForwardingCounters,
    private readonly link?: SubscriberLink,
  ) {
    this.sessionId = publication.sessionId;
    this.trackName = publication.trackName;
    this.forwarder = this.forward(publication, preferredRid);
  }

  /** Offered by the SFU, not yet answered through `renegotiate`: its packets wait (see Forwarder). */
  get pending(): boolean {
    return this.#pending;
  }

  set pending(pending: boolean) {
    this.#pending = pending;
    if (pending) this.forwarder.hold();
    else this.forwarder.release();
  }

  /** `tracks/update` with another track: same m-line, new source (its codec must be one the m-line negotiated). */
  switchSource(publication: Publication, preferredRid: string | undefined): ItemError | undefined {
    const compatible =
      publication.kind === this.transceiver.kind &&
      !!matchingCodec(this.transceiver.codecs, publication.codec);
    if (!compatible) {
      return itemErrors.invalid('the new track needs a different kind or codec than this m-line negotiated');
    }
    this.forwarder.stop();
    this.forwarder = this.forward(publication, preferredRid);
    this.sessionId = publication.sessionId;
    this.trackName = publication.trackName;
    return undefined;
  }

  stop(): void {
    this.forwarder.stop();
    this.status = 'inactive';
    retireTransceiver(this.transceiver);
  }

  private forward(publication: Publication, preferredRid: string | undefined): Forwarder {
    const forwarder = new Forwarder(
      publication,
      this.transceiver.sender,
      preferredRid,
      this.counters,
      () => (this.status = 'inactive'),
      this.link,
    );
    if (this.#pending) forwarder.hold();
    return forwarder;
  }
}

/** SFU-offer pull: a new sendonly m-line, numbered so it cannot clash with the session's other m-lines. */
export function transceiverForSfuOffer(peer: SessionPeer, publication: Publication): RTCRtpTransceiver {
  const transceiver = peer.pc.addTransceiver(publication.kind, { direction: 'sendonly' });
  transceiver.codecs = peer.numbering.subscriberCodecs(publication.codec, publication.kind);
  transceiver.headerExtensions = peer.numbering.subscriberExtensions();
  return transceiver;
}

/**
 * WHEP-style pull: a receive m-line of the browser's offer (the one named by `mid`, else the first free one
 * of the right kind). werift makes such transceivers recvonly; the SFU turns them around to send.
 */
export function transceiverFromBrowserOffer(
  peer: SessionPeer,
  publication: Publication,
  mid: string | undefined,
  summary: SdpSummary,
  taken: (mid: string) => boolean,
): RTCRtpTransceiver | ItemError {
  const section = summary.media.find(
    (m) =>
      (mid ? m.mid === mid : !taken(m.mid)) &&
      m.kind === publication.kind &&
      m.port !== 0 &&
      (m.direction === 'recvonly' || m.direction === 'sendrecv'),
  );
  const transceiver = section && peer.transceiver(section.mid);
  if (!section || !transceiver || transceiver.pendingRejection) {
    return itemErrors.invalid(`no free ${publication.kind} receive m-line in the offer for this track`);
  }
  const { mimeType, clockRate, channels, parameters } = publication.codec;
  if (!transceiver.codecs.some((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase())) {
    return itemErrors.invalid(`the offer cannot receive ${mimeType}`);
  }
  transceiver.setDirection('sendonly');
  transceiver.setCodecPreferences([new RTCRtpCodecParameters({ mimeType, clockRate, channels, parameters })]);
  return transceiver;
}
