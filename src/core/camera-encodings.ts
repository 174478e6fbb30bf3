// Applies the camera's later encodings (caps, camera off) to its sender ourselves, one `setParameters` at a
// time. partytracks applies each later emission of a push's encodings unguarded, also on every track change
// and after a reconnect: two calls at once, or one on a closed sender, reject where nobody catches them. So
// partytracks gets only the first encodings (for the transceiver it creates) and this does the rest: in order,
// each call caught, and again each time a negotiation is over (an SFU offer un-pauses Chrome's layers).
import {
  Observable,
  combineLatest,
  distinctUntilChanged,
  filter,
  fromEvent,
  map,
  startWith,
  switchMap,
} from 'rxjs';

/** The camera's sender: the one whose encodings carry exactly these simulcast rids. */
function cameraSender(pc: RTCPeerConnection, rids: readonly string[]): RTCRtpSender | undefined {
  return pc.getSenders().find((sender) => {
    const encodings = sender.getParameters().encodings ?? [];
    return encodings.length === rids.length && encodings.every((e) => e.rid && rids.includes(e.rid));
  });
}

/** Whether the sender already sends `wanted` (by rid): then there is nothing to apply. */
function sends(parameters: RTCRtpSendParameters, wanted: readonly RTCRtpEncodingParameters[]): boolean {
  return parameters.encodings.every((e) => {
    const w = wanted.find((x) => x.rid === e.rid);
    return !w || ((w.active ?? true) === e.active && w.maxBitrate === e.maxBitrate);
  });
}

/**
 * Keeps the camera's sender on the latest `encodings$` (simulcast only: `rids` are the layers'). Emits nothing;
 * unsubscribing stops it.
 */
export function keepCameraEncodings(
  peerConnection$: Observable<RTCPeerConnection>,
  encodings$: Observable<readonly RTCRtpEncodingParameters[]>,
  rids: readonly string[],
): Observable<never> {
  return new Observable<never>(() => {
    let queue: Promise<void> = Promise.resolve();
    const apply = (pc: RTCPeerConnection, wanted: readonly RTCRtpEncodingParameters[]) => {
      queue = queue
        .then(async () => {
          // Mid-negotiation the sender's parameters are about to change: the next `stable` applies.
          if (pc.signalingState !== 'stable') return;
          const sender = cameraSender(pc, rids);
          if (!sender) return;
          const parameters = sender.getParameters();
          if (sends(parameters, wanted)) return;
          parameters.encodings = parameters.encodings.map((e) => {
            const w = wanted.find((x) => x.rid === e.rid);
            return w ? { ...e, active: w.active ?? true, maxBitrate: w.maxBitrate } : e;
          });
          await sender.setParameters(parameters);
        })
        .catch(() => {}); // a closed sender (a reconnect), a negotiation begun meanwhile: the next one applies
    };
    const subscription = combineLatest([
      peerConnection$,
      encodings$.pipe(distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b))),
    ])
      .pipe(
        switchMap(([pc, wanted]) =>
          fromEvent(pc, 'signalingstatechange').pipe(
            filter(() => pc.signalingState === 'stable'),
            startWith(0),
            map(() => [pc, wanted] as const),
          ),
        ),
      )
      .subscribe(([pc, wanted]) => apply(pc, wanted));
    return () => subscription.unsubscribe();
  });
}
