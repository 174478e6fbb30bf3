// What happened in a call, as one stream of changes the room turns into DOM events: state moves, the local
// user joining and leaving, anyone switching media (and whether a host did it), and the active speaker.
import { EMPTY, Observable, Subscription } from 'rxjs';
import type { CallHostRequest } from './host-controls.js';
import { participantChanges, type ParticipantChange } from './participant-changes.js';
import type { CallParticipant, CallSessionLike, CallState } from './types.js';

/** Why a microphone, camera or screen share turned on or off. */
export type MediaChangeReason = 'user' | 'remote';

export type CallChange =
  | Exclude<ParticipantChange, { type: 'media' }>
  /**
   * `user`: the local user switched their own media; `remote`: someone else did, either a remote participant
   * their own, or a host the local user's (`mute-mic`, `stop-camera`).
   */
  | (Extract<ParticipantChange, { type: 'media' }> & { readonly reason: MediaChangeReason })
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

export interface CallChangesOptions {
  /**
   * A host's request just before the session obeys it (`hostRequests$` only tells once it has): a `mute-mic` or
   * `stop-camera` that switches the local media off makes that change `remote`.
   */
  readonly obeying$?: Observable<CallHostRequest>;
}

/** The local media each host request switches off. */
const SWITCHED_BY_HOST: Partial<Record<CallHostRequest['request'], 'audio' | 'video'>> = {
  'mute-mic': 'audio',
  'stop-camera': 'video',
};

/**
 * The changes of `session` from the moment of subscription: what is already true then (the current state,
 * the roster found on arrival) is not news, except who speaks, reported as soon as anyone does. A roster that
 * follows an empty one is an arrival too.
 */
export function callChanges$(
  session: Pick<CallSessionLike, 'state$' | 'participants$' | 'activeSpeaker$'>,
  options: CallChangesOptions = {},
): Observable<CallChange> {
  return new Observable<CallChange>((subscriber) => {
    let participants: readonly CallParticipant[] = [];
    let state: CallState | undefined;
    let speaker: string | undefined;
    /** The joined state can arrive before the roster that holds the local participant. */
    let joinPending = false;
    /** Local media a host is switching off: its next change is theirs. */
    const hostSwitching = new Set<'audio' | 'video' | 'screen'>();
    const find = (id?: string) => participants.find((p) => p.id === id);
    const emit = (change: CallChange) => subscriber.next(change);
    const withReason = (change: ParticipantChange): CallChange => {
      if (change.type !== 'media') return change;
      if (!change.participant.isLocal) return { ...change, reason: 'remote' };
      const byHost = hostSwitching.delete(change.kind) && !change.enabled;
      return { ...change, reason: byHost ? 'remote' : 'user' };
    };

    const subscriptions = new Subscription();
    subscriptions.add(
      (options.obeying$ ?? EMPTY).subscribe(({ request }) => {
        const kind = SWITCHED_BY_HOST[request];
        const self = participants.find((p) => p.isLocal);
        const on = kind === 'audio' ? self?.micOn : kind === 'video' ? self?.cameraOn : false;
        // Already off: nothing will change, and a later change is the user's own.
        if (kind && on) hostSwitching.add(kind);
      }),
    );
    subscriptions.add(
      session.participants$.subscribe((list) => {
        const previous = participants;
        participants = list;
        const self = list.find((p) => p.isLocal);
        if (joinPending && self) {
          joinPending = false;
          emit({ type: 'self-joined', participant: self });
        }
        if (previous.length > 0) {
          for (const change of participantChanges(previous, list)) emit(withReason(change));
        }
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
