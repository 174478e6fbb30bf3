// The pre-join screen connects the media transport early, as Meet and Whereby do: while the person looks at
// their preview, the SFU session is created and ICE, DTLS and SCTP come up over a DataChannel
// (`datachannels/establish`, what chat uses anyway). Nothing is published or pulled, and presence hears of
// nobody: the join then finds a connected PeerConnection, and the others' media flows as soon as its first
// pull is negotiated, without a handshake after the click.
import type { Subscription } from 'rxjs';
import { ChatTransport, negotiatedSctp } from './chat-transport.js';
import { openMediaTransport, type MediaTransport, type MediaTransportOptions } from './media-transport.js';
import type { CallToken } from './token-client.js';

export class EarlyConnection {
  readonly #transport: MediaTransport;
  readonly #keepAlive: Subscription;
  readonly #abort = new AbortController();
  #peerConnection?: RTCPeerConnection;
  #handedOver = false;

  /** Starts at once: `sessions/new`, then the DataChannel offer, then the handshakes. */
  constructor(
    readonly token: CallToken,
    options: MediaTransportOptions,
  ) {
    this.#transport = openMediaTransport(token, options);
    const { partyTracks, prefix } = this.#transport;
    const signal = this.#abort.signal;
    // partytracks starts the session with its first subscriber and closes the PeerConnection with its last.
    this.#keepAlive = partyTracks.session$.subscribe({
      next: ({ peerConnection, sessionId }) => {
        // After the join, a new session (partytracks reconnecting) is the call's: its own chat negotiates SCTP
        // once its pushes are in, and an offer from here would cross them.
        if (this.#handedOver) return;
        this.#peerConnection = peerConnection;
        const transport = new ChatTransport(peerConnection, sessionId, {
          prefix,
          headers: options.lease.headers,
          signal,
          quietMs: 0, // nothing else negotiates on this PeerConnection before the join
        });
        transport.establish().catch(() => this.close()); // refused or unreachable: the join starts afresh
      },
      error: () => this.close(),
    });
  }

  /**
   * Whether the join can take it over: SCTP negotiated and the connection not failed or closed. One still
   * negotiating its DataChannel is not taken (its offer could cross the join's first pull).
   */
  get usable(): boolean {
    const pc = this.#peerConnection;
    if (!pc || this.#abort.signal.aborted) return false;
    const state = pc.connectionState;
    return negotiatedSctp(pc) && state !== 'failed' && state !== 'closed';
  }

  /** Resolves true once `usable`, false once it cannot be (closed or failed) or after `ms`. */
  async ready(ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!this.usable) {
      const state = this.#peerConnection?.connectionState;
      if (this.#abort.signal.aborted || state === 'failed' || state === 'closed') return false;
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return true;
  }

  /** The PeerConnection once created (for diagnostics and tests). */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.#peerConnection;
  }

  /**
   * Gives the call the transport and the subscription that keeps its PeerConnection open; the call closes both.
   * Only once, and only while `usable`.
   */
  handOver(): { readonly transport: MediaTransport; readonly keepAlive: Subscription } | undefined {
    if (!this.usable || this.#handedOver) return undefined;
    this.#handedOver = true;
    return { transport: this.#transport, keepAlive: this.#keepAlive };
  }

  /** Closes the PeerConnection (the SFU drops the session when its connection goes), unless handed over. */
  close(): void {
    if (this.#handedOver || this.#abort.signal.aborted) return;
    this.#abort.abort();
    this.#keepAlive.unsubscribe();
    // At once: the call that follows guards the same prefix, and the first guard registered gets the answers.
    this.#transport.requests.release();
  }
}
