// The media half of a call, from one room token: partytracks (its SFU session and PeerConnection) and the guard
// on its requests to the call server. A call opens one at the join, or takes over the one the pre-join screen
// connected early (early-connection.ts).
import { PartyTracks } from 'partytracks/client';
import { guardPartyTracksRequests, type PartyTracksRequestGuard } from './partytracks-fetch.js';
import { SESSION_LOCK_HEADER } from '../protocol/session-key.js';
import type { TokenLease } from './token-lease.js';
import type { CallToken } from './token-client.js';

export interface MediaTransport {
  readonly partyTracks: PartyTracks;
  /** The call server's partytracks prefix, e.g. `https://call.example/partytracks`. */
  readonly prefix: string;
  /** partytracks' requests to the call server, and their outcomes. */
  readonly requests: PartyTracksRequestGuard;
}

export interface MediaTransportOptions {
  /** Overrides the ICE servers the token came with. */
  readonly iceServers?: RTCIceServer[];
  /** Its headers (the room token, the session key) go with every request. */
  readonly lease: TokenLease;
}

/** Creates partytracks for the token's call server. Nothing is requested until its `session$` is subscribed. */
export function openMediaTransport(
  token: CallToken,
  { iceServers, lease }: MediaTransportOptions,
): MediaTransport {
  const prefix = `${token.serverUrl}/partytracks`;
  const requests = guardPartyTracksRequests(`${prefix}/`, (lock) =>
    lease.headers.set(SESSION_LOCK_HEADER, lock),
  );
  const partyTracks = new PartyTracks({
    prefix,
    headers: lease.headers,
    iceServers: iceServers ?? token.iceServers,
  });
  return { partyTracks, prefix, requests };
}
