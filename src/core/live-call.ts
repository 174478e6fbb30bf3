// What exists only while a call is live, built from one room token: the presence socket, the partytracks
// instance with its peer connection, audio playback, and the set of pulls.
import type { PartyTracks } from 'partytracks/client';
import { Subscription, type Observable } from 'rxjs';
import { createAudioPlayback, type AudioPlayback } from './partytracks-adapter.js';
import type { PartyTracksRequestGuard } from './partytracks-fetch.js';
import { openMediaTransport, type MediaTransport } from './media-transport.js';
import { PresenceClient } from './presence-client.js';
import { PullSet } from './pull-set.js';
import type { TokenLease } from './token-lease.js';
import type { CallToken } from './token-client.js';

/** How long a closed call's late requests (closing its tracks) stay guarded. */
const RELEASE_GUARD_AFTER_MS = 10_000;

export interface LiveCall {
  readonly presence: PresenceClient;
  readonly partyTracks: PartyTracks;
  /** The call server's partytracks prefix, e.g. `https://call.example/partytracks`. */
  readonly prefix: string;
  /** partytracks' requests to the call server, and their outcomes. */
  readonly requests: PartyTracksRequestGuard;
  readonly audio: AudioPlayback;
  readonly pulls: PullSet;
  /** Everything the session subscribed to for this call; ended by `close()`. */
  readonly teardown: Subscription;
  /** Closes the socket, drops the pulls, ends the subscriptions and the audio. */
  close(): void;
}

export interface LiveCallOptions {
  readonly room: string;
  /** Overrides the ICE servers the token came with. */
  readonly iceServers?: RTCIceServer[];
  /** Keeps the token current for the socket's reconnects and partytracks' requests. */
  readonly lease: TokenLease;
  readonly onAudioBlocked: (blocked: boolean) => void;
  /** The simulcast layer a pulled camera asks for. */
  readonly preferredRid$?: (key: string) => Observable<string>;
}

/**
 * Opens the call: the presence socket, and the media transport, a fresh one or `early` (connected on the
 * pre-join screen, with the subscription that keeps its PeerConnection open until the call closes).
 */
export function openLiveCall(
  token: CallToken,
  options: LiveCallOptions,
  early?: { readonly transport: MediaTransport; readonly keepAlive: Subscription },
): LiveCall {
  const { lease } = options;
  // The presence socket first: open, join and hello take the longest, and the pulls wait for the hello. Its
  // events come in later tasks, after everything below is in place.
  const presence = new PresenceClient({
    url: `${token.serverUrl.replace(/^http/, 'ws')}/rooms/${encodeURIComponent(options.room)}`,
    token: () => lease.token?.token ?? '',
    refreshToken: () => lease.refreshAfterRefusal(),
  });
  presence.connect();
  const { partyTracks, prefix, requests } =
    early?.transport ?? openMediaTransport(token, { iceServers: options.iceServers, lease });
  const audio = createAudioPlayback(options.onAudioBlocked);
  const pulls = new PullSet(partyTracks, audio.sink, undefined, options.preferredRid$);
  const teardown = new Subscription();
  teardown.add(requests.pulled$.subscribe((tracks) => pulls.placed(tracks)));
  if (early) teardown.add(early.keepAlive);
  return {
    presence,
    partyTracks,
    prefix,
    requests,
    audio,
    pulls,
    teardown,
    close() {
      presence.close();
      pulls.clear();
      teardown.unsubscribe();
      audio.sink.cleanup();
      // The pulls' and pushes' closing requests leave after this: keep guarding them for a while.
      setTimeout(() => requests.release(), RELEASE_GUARD_AFTER_MS);
    },
  };
}
