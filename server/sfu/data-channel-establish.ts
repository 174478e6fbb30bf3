// `datachannels/establish`: brings up the session's SCTP association. With the browser's offer carrying
// `m=application` the SFU answers; without one it offers and waits for `renegotiate`. Either way it opens
// the reserved `server-events` channel itself, once per session.
import { errors } from './errors.js';
import type { SessionDescriptionBody } from './schemas.js';
import type { SdpSummary } from './sdp.js';
import type { SessionPeer } from './session-peer.js';
import { nextInBandId, openServerEvents, sctpNegotiated, type SctpChannel } from './werift-datachannels.js';

export interface EstablishResponse {
  requiresImmediateRenegotiation: boolean;
  sessionDescription?: SessionDescriptionBody;
  dataChannel: { location: 'remote'; dataChannelName: 'server-events'; id: number };
}

const serverEvents = new WeakMap<SessionPeer, SctpChannel>();

function openOnce(peer: SessionPeer): number {
  const existing = serverEvents.get(peer);
  if (existing) return existing.id;
  const id = nextInBandId(peer.pc);
  serverEvents.set(peer, openServerEvents(peer.pc));
  return id;
}

export async function establishDataChannels(
  peer: SessionPeer,
  offer: SdpSummary | undefined,
): Promise<EstablishResponse> {
  if (offer) {
    if (!offer.media.some((m) => m.kind === 'application' && m.port !== 0)) {
      throw errors.invalidParams('The offer has no m=application section to establish DataChannels on');
    }
    const id = openOnce(peer);
    const sdp = await peer.answer(offer);
    return response(false, { type: 'answer', sdp }, id);
  }
  if (sctpNegotiated(peer.pc)) return response(false, undefined, openOnce(peer));
  if (peer.waitingForAnswer) {
    throw errors.invalidSdp('The session is waiting for an answer to the SFU offer (renegotiate)');
  }
  const id = openOnce(peer);
  return response(true, { type: 'offer', sdp: await peer.offer() }, id);
}

function response(
  requiresImmediateRenegotiation: boolean,
  sessionDescription: SessionDescriptionBody | undefined,
  id: number,
): EstablishResponse {
  return {
    requiresImmediateRenegotiation,
    ...(sessionDescription ? { sessionDescription } : {}),
    dataChannel: { location: 'remote', dataChannelName: 'server-events', id },
  };
}
