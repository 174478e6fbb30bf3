import type { Participant, Publication, ServerMessage, TrackSource } from '../protocol/index.js';

/** What presence says about the room: who is here and what each of them publishes. */
export interface RoomState {
  readonly selfId?: string;
  readonly participants: ReadonlyMap<string, Participant>;
  /** Keyed by `participantId/source`: one publication per source and participant. */
  readonly publications: ReadonlyMap<string, Publication>;
  /** Viewers the server only counts (a broadcast's audience), beyond the listed `participants`. */
  readonly audience?: number;
  /** This page is a viewer the server only counts: it is in `audience`, and in `participants` only here. */
  readonly selfInAudience?: boolean;
}

export const emptyRoom: RoomState = { participants: new Map(), publications: new Map(), audience: 0 };

export const publicationKey = (participantId: string, source: TrackSource) => `${participantId}/${source}`;

/** `[participantId, source]` of a publication key (participant ids may contain slashes; sources don't). */
export function splitPublicationKey(key: string): [participantId: string, source: string] {
  const slash = key.lastIndexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** Everyone who watches without publishing: the counted audience and listed members without `canPublish`. */
export function watchingCount(state: RoomState): number {
  let listedViewers = 0;
  for (const p of state.participants.values()) {
    if (!p.canPublish && !(state.selfInAudience && p.id === state.selfId)) listedViewers++;
  }
  return (state.audience ?? 0) + listedViewers;
}

/** Applies one presence message. Pure: returns a new state, or the same one when nothing changed. */
export function reduceRoom(state: RoomState, message: ServerMessage): RoomState {
  switch (message.type) {
    case 'hello': {
      // The full picture, on every (re)connect: replace rather than merge, so nothing stale survives.
      // A viewer is not listed by the server, only counted; this page still knows itself.
      const selfInAudience = !message.participants.some((p) => p.id === message.self.id);
      const participants = new Map(message.participants.map((p) => [p.id, p]));
      if (selfInAudience) participants.set(message.self.id, message.self);
      return {
        selfId: message.self.id,
        participants,
        selfInAudience,
        publications: new Map(
          message.publications.map((p) => [publicationKey(p.participantId, p.source), p]),
        ),
        audience: message.audience ?? 0,
      };
    }
    case 'breakout-moved':
      // Another breakout room (or back to the main one): its roster replaces ours, as on hello.
      return {
        ...state,
        participants: new Map(message.participants.map((p) => [p.id, p])),
        publications: new Map(
          message.publications.map((p) => [publicationKey(p.participantId, p.source), p]),
        ),
      };
    case 'audience':
      return message.count === state.audience ? state : { ...state, audience: message.count };
    case 'participant-joined': {
      const participants = new Map(state.participants);
      participants.set(message.participant.id, message.participant);
      return { ...state, participants };
    }
    case 'participant-left': {
      if (!state.participants.has(message.participantId)) return state;
      const participants = new Map(state.participants);
      participants.delete(message.participantId);
      const publications = new Map(
        [...state.publications].filter(([, p]) => p.participantId !== message.participantId),
      );
      return { ...state, participants, publications };
    }
    case 'track-published': {
      const publications = new Map(state.publications);
      const p = message.publication;
      publications.set(publicationKey(p.participantId, p.source), p);
      return { ...state, publications };
    }
    case 'track-unpublished': {
      const key = publicationKey(message.participantId, message.source);
      if (state.publications.get(key)?.trackName !== message.trackName) return state;
      const publications = new Map(state.publications);
      publications.delete(key);
      return { ...state, publications };
    }
    case 'participant-state': {
      const current = state.participants.get(message.participantId);
      if (!current) return state;
      const participants = new Map(state.participants);
      participants.set(current.id, { ...current, state: message.state });
      return { ...state, participants };
    }
    default:
      return state;
  }
}
