// Waiting for partytracks to finish what it is negotiating: the pulls a room change (a breakout move) starts
// are media the user waits to see, and chat's `datachannels/*` calls made at the same moment would compete
// with them for the call server, the SFU session and the page.

/** At most this long. */
export const NEGOTIATION_WAIT_MS = 2_000;
/** The PeerConnection stable with no partytracks request under way for this long: the negotiation is over. */
export const NEGOTIATION_QUIET_MS = 100;

export interface NegotiationWaitOptions {
  readonly maxMs?: number;
  readonly quietMs?: number;
}

/** Resolves at once when partytracks is idle, else once its negotiation is over (or after `maxMs`). */
export async function afterNegotiation(
  pc: Pick<RTCPeerConnection, 'signalingState'>,
  busy: () => boolean,
  signal: AbortSignal,
  options: NegotiationWaitOptions = {},
): Promise<void> {
  const { maxMs = NEGOTIATION_WAIT_MS, quietMs = NEGOTIATION_QUIET_MS } = options;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await pause(0); // partytracks sends the pulls of a sync from a timer of its own, set before this one
  const quiet = () => pc.signalingState === 'stable' && !busy();
  if (quiet()) return;
  const start = performance.now();
  let quietSince = start;
  while (!signal.aborted && performance.now() - start < maxMs) {
    if (!quiet()) quietSince = performance.now();
    else if (performance.now() - quietSince >= quietMs) return;
    await pause(25);
  }
}
