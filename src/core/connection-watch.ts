// What partytracks reports about the media connection, turned into calls the session acts on.
import type { PartyTracks } from 'partytracks/client';
import { EMPTY, Subscription, filter, switchMap, type Observable } from 'rxjs';
import { PROXY_REFUSAL_CODES } from './call-error.js';
import { proxyErrorCodes$ } from './partytracks-adapter.js';
import { audioLevels$ } from './track-stats.js';

export interface ConnectionWatch {
  /** Each peer connection partytracks creates (a new one after every reconnect). */
  peerConnection(pc: RTCPeerConnection): void;
  connectionState(state: RTCPeerConnectionState): void;
  /** Audio levels by track id, sampled while connected. */
  levels(byTrack: Map<string, number>): void;
  /** The call server refused a request in a way retrying with the same token can't fix. */
  refusal(errorCode: string): void;
}

export function watchConnection(
  partyTracks: PartyTracks,
  connected$: Observable<RTCPeerConnection | undefined>,
  watch: ConnectionWatch,
): Subscription {
  const subscriptions = new Subscription();
  subscriptions.add(partyTracks.peerConnection$.subscribe((pc) => watch.peerConnection(pc)));
  subscriptions.add(partyTracks.peerConnectionState$.subscribe((state) => watch.connectionState(state)));
  subscriptions.add(
    connected$.pipe(switchMap((pc) => (pc ? audioLevels$(pc) : EMPTY))).subscribe((l) => watch.levels(l)),
  );
  // partytracks retries every failed request forever; a refused token needs a fresh one, then a stop.
  subscriptions.add(
    proxyErrorCodes$(partyTracks)
      .pipe(filter((code) => PROXY_REFUSAL_CODES.has(code)))
      .subscribe((code) => watch.refusal(code)),
  );
  return subscriptions;
}
