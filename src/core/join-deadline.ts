// How long a join may take. "Joining…" that lasts, or a room that looks joined but carries no media, both end
// in `connection-failed`: never a silent, half-joined call.
import { Subscription, filter, take, timer, type Observable } from 'rxjs';
import { CallError } from './call-error.js';

/** How long "Joining…" may last before the user is told the call service can't be reached. */
export const JOIN_TIMEOUT_MS = 15_000;

export interface JoinDeadline {
  readonly timeoutMs: number;
  /** The peer connection while connected (any emission of one counts as "media connected"). */
  readonly connected$: Observable<RTCPeerConnection | undefined>;
  readonly joining: () => boolean;
  /** Whether there is media to carry by now: the call publishes, or someone else does. */
  readonly needsMedia: () => boolean;
  readonly fail: (error: CallError) => void;
}

export function watchJoinDeadline(deadline: JoinDeadline): Subscription {
  const { timeoutMs } = deadline;
  let mediaConnected = false;
  const subscriptions = new Subscription();
  subscriptions.add(
    deadline.connected$.pipe(filter(Boolean), take(1)).subscribe(() => (mediaConnected = true)),
  );
  subscriptions.add(
    timer(timeoutMs).subscribe(() => {
      const joining = deadline.joining();
      if (!joining && (mediaConnected || !deadline.needsMedia())) return;
      const what = joining ? 'The call server' : 'The media connection';
      deadline.fail(
        new CallError('connection-failed', `${what} did not answer within ${timeoutMs / 1000} s.`, true),
      );
    }),
  );
  return subscriptions;
}
