// What happened in a call, as one stream of changes the room turns into DOM events: state moves, the local
// user joining and leaving, others joining, leaving and switching media, and the active speaker.
import { Observable, Subscription } from 'rxjs';
import { participantChanges, type ParticipantChange } from './participant-changes.js';
import type { CallParticipant, CallSessionLike, CallState } from './types.js';

export type CallChange =
  | ParticipantChange
  | { readonly type: 'state'; readonly state: CallState; readonly previous: CallState }
  /** The local user is in the room (after `joining`, once the roster holds them). */
  | { readonly type: 'self-joined'; readonly participant: CallParticipant }
  /** The call ended: by `leave()` (`user`) or by an error. */
  | { readonly type: 'self-left'; readonly reason: 'user' | 'error' }
  | {
      readonly type: 'active-speaker';
      readonly participant?: CallParticipant;
      readonly previous?: CallParticipant;
    };

const LIVE: ReadonlySet<CallState> = new Set(['joining', 'joined', 'reconnecting']);

/**
 * The changes of `session` from the moment of subscription: what is already true then (the current state,
 * the roster found on arrival) is not news, except who speaks, reported as soon as anyone does. A roster that
 * follows an empty one is an arrival too.
 */
export function callChanges$(
  session: Pick<CallSessionLike, 'state$' | 'participants$' | 'activeSpeaker$'>,
): Observable<CallChange> {
  return new Observable<CallChange>((subscriber) => {
    let participants: readonly CallParticipant[] = [];
    let state: CallState | undefined;
    let speaker: string | undefined;
    /** The joined state can arrive before the roster that holds the local participant. */
    let joinPending = false;
    const find = (id?: string) => participants.find((p) => p.id === id);
    const emit = (change: CallChange) => subscriber.next(change);

    const subscriptions = new Subscription();
    subscriptions.add(
      session.participants$.subscribe((list) => {
        const previous = participants;
        participants = list;
        const self = list.find((p) => p.isLocal);
        if (joinPending && self) {
          joinPending = false;
          emit({ type: 'self-joined', participant: self });
        }
        if (previous.length > 0) for (const change of participantChanges(previous, list)) emit(change);
      }),
    );
    subscriptions.add(
      session.state$.subscribe((next) => {
        const previous = state;
        state = next;
        if (previous === undefined || previous === next) return;
        emit({ type: 'state', state: next, previous });
        if (next === 'joined' && previous === 'joining') {
          const self = participants.find((p) => p.isLocal);
          if (self) emit({ type: 'self-joined', participant: self });
          else joinPending = true;
        }
        if ((next === 'left' || next === 'error') && LIVE.has(previous)) {
          joinPending = false;
          emit({ type: 'self-left', reason: next === 'left' ? 'user' : 'error' });
        }
      }),
    );
    subscriptions.add(
      session.activeSpeaker$.subscribe((id) => {
        if (id === speaker) return;
        const previous = find(speaker);
        speaker = id;
        emit({ type: 'active-speaker', participant: find(id), previous });
      }),
    );
    return subscriptions;
  });
}
