// What partytracks reports about the media connection, turned into calls the session acts on.
import type { PartyTracks } from 'partytracks/client';
import { EMPTY, Subscription, switchMap, type Observable } from 'rxjs';
import { rollBackFailedAnswers } from './partytracks-adapter.js';
import { audioLevels$ } from './track-stats.js';

export interface ConnectionWatch {
  /** Each peer connection partytracks creates (a new one after every reconnect), with its SFU session. */
  session(session: { peerConnection: RTCPeerConnection; sessionId: string }): void;
  connectionState(state: RTCPeerConnectionState): void;
  /** Audio levels by track id, sampled while connected. */
  levels(byTrack: Map<string, number>): void;
}

export function watchConnection(
  partyTracks: PartyTracks,
  connected$: Observable<RTCPeerConnection | undefined>,
  watch: ConnectionWatch,
): Subscription {
  const subscriptions = new Subscription();
  subscriptions.add(
    partyTracks.session$.subscribe((session) => {
      rollBackFailedAnswers(session.peerConnection);
      watch.session(session);
    }),
  );
  subscriptions.add(partyTracks.peerConnectionState$.subscribe((state) => watch.connectionState(state)));
  subscriptions.add(
    connected$.pipe(switchMap((pc) => (pc ? audioLevels$(pc) : EMPTY))).subscribe((l) => watch.levels(l)),
  );
  return subscriptions;
}
