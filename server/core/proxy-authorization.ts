// Authorization of SFU calls, before anything is forwarded. partytracks' proxy checks none of this. Here a
// call must come from the session's creator, every item that names another session's track must name a
// publication of a current member of the caller's room, and sending media needs canPublish.
//
// The SFU honours `sessionId` and `trackName` wherever an item carries them (`tracks/new` with `autoDiscover`,
// `tracks/update` with `location: "local"`, …), so the check is per item shape, not per intent: the shapes in
// TRACK_ITEM_RULES are the only ones forwarded, and anything else is refused.
import { ProxyErrorCode } from '../../src/protocol/proxy-error-codes.js';
import type { CallTokenClaims } from './call-token.js';
import type { PublicationLookup } from './presence-directory.js';
import type { ProxyRoute } from './proxy-route.js';
import { sdpSendsMedia } from './sdp-directions.js';
import type { DataChannelObject, TrackObject } from './sfu-request-schemas.js';
import type { SessionOwner } from './session-registry.js';

export interface SessionOwnerLookup {
  isOwnedBy(sessionId: string, owner: SessionOwner): boolean;
}

export interface ProxyAuthorizationDeps {
  readonly sessions: SessionOwnerLookup;
  readonly publications: PublicationLookup;
}

/** The parsed body of the call, for the routes that have one. */
export interface SfuCallBody {
  readonly sessionDescription?: { readonly type: 'offer' | 'answer'; readonly sdp: string };
  readonly tracks?: readonly Partial<TrackObject>[];
  readonly autoDiscover?: boolean;
  readonly dataChannels?: readonly (Partial<DataChannelObject> & { readonly id?: number })[];
}

/** A pulled item the proxy keeps from the SFU and answers itself, as the SFU answers an item it can't serve. */
export interface WithheldTrack {
  /** Its index in the request's `tracks`. */
  readonly index: number;
  readonly errorCode: string;
  readonly errorDescription: string;
}

export type AuthorizationDecision =
  | {
      readonly ok: true;
      /**
       * Pulls of tracks not (or no longer) published in the caller's room, in a batch with others that are: the
       * rest goes through, and these get a per-item error. Presence and a page's pulls race (a publisher who
       * left a moment ago), and one stale item must not fail its whole batch.
       */
      readonly withheld?: readonly WithheldTrack[];
    }
  | {
      readonly ok: false;
      readonly status: 400 | 403;
      readonly errorCode: string;
      readonly errorDescription: string;
    };

type TrackField = Exclude<keyof TrackObject, 'location'>;

/**
 * What an item may ask for:
 * - `publish`: a track of the caller's own session (needs `canPublish`);
 * - `pull-from-room`: the named track must be announced by a current member of the caller's room, and of
 *   the caller's current breakout room (needs `canSubscribe`).
 */
export type TrackItemCheck = 'publish' | 'pull-from-room';

export interface TrackItemRule {
  readonly route: 'tracks-new' | 'tracks-update';
  readonly location: 'local' | 'remote';
  readonly required: readonly TrackField[];
  readonly optional: readonly TrackField[];
  readonly check: TrackItemCheck;
  /** The shapes of the SFU API this rule covers (for readers and the closing table). */
  readonly covers: string;
}

/** Every track item shape the proxy forwards. An item that matches none is refused with 403. */
export const TRACK_ITEM_RULES: readonly TrackItemRule[] = [
  {
    route: 'tracks-new',
    location: 'local',
    required: ['trackName'],
    optional: ['mid', 'kind', 'bidirectionalMediaStream'],
    check: 'publish',
    covers: 'publish with an offer (mid), or an SFU-offered push (kind, bidirectionalMediaStream)',
  },
  {
    route: 'tracks-new',
    location: 'remote',
    required: ['sessionId', 'trackName'],
    optional: ['mid', 'kind', 'simulcast'],
    check: 'pull-from-room',
    covers: 'pull with an SFU offer, WHEP-style pull into an offered mid, pull into "#trackName"',
  },
  {
    route: 'tracks-update',
    location: 'remote',
    required: ['mid', 'sessionId', 'trackName'],
    optional: ['kind', 'simulcast'],
    check: 'pull-from-room',
    covers: 'change the simulcast layer of a pull, or switch a pulled mid to another track',
  },
];

const allow: AuthorizationDecision = { ok: true };
const forbid = (errorDescription: string): AuthorizationDecision => ({
  ok: false,
  status: 403,
  errorCode: 'forbidden',
  errorDescription,
});
const notInRoom = (errorDescription: string): AuthorizationDecision => ({
  ok: false,
  status: 403,
  errorCode: ProxyErrorCode.notInRoom,
  errorDescription,
});
const invalid = (errorDescription: string): AuthorizationDecision => ({
  ok: false,
  status: 400,
  errorCode: 'invalid_request',
  errorDescription,
});

export function authorizeSfuCall(
  route: ProxyRoute,
  body: SfuCallBody | undefined,
  caller: CallTokenClaims,
  deps: ProxyAuthorizationDeps,
): AuthorizationDecision {
  if (route.kind === 'generate-ice-servers') return allow;
  if (route.kind === 'new-session') {
    return caller.canPublish || caller.canSubscribe
      ? allow
      : forbid('your token grants neither publishing nor subscribing');
  }
  if (!deps.sessions.isOwnedBy(route.sessionId, { userId: caller.userId, room: caller.room })) {
    return forbid('that session was not created by you in this room');
  }
  if (!caller.canPublish && body?.sessionDescription && sdpSendsMedia(body.sessionDescription.sdp)) {
    return forbid('your token does not allow publishing');
  }
  switch (route.kind) {
    case 'tracks-new':
      return authorizeTracks(route.kind, body?.tracks ?? [], body?.autoDiscover === true, caller, deps);
    case 'tracks-update':
      return authorizeTracks(route.kind, body?.tracks ?? [], false, caller, deps);
    case 'datachannels':
      return route.operation === 'new'
        ? authorizeDataChannels(body?.dataChannels ?? [], caller, deps)
        : allow;
    case 'session-state':
    case 'renegotiate':
    case 'tracks-close':
      return allow;
  }
}

/**
 * Publishing a channel (chat) needs `canPublish` or `canChat`; a subscription must name a channel a current
 * member of the caller's room announced, as for tracks. `update` and `close` only touch the caller's own
 * session's channels, so they need no more than session ownership.
 */
function authorizeDataChannels(
  items: readonly Partial<DataChannelObject>[],
  caller: CallTokenClaims,
  deps: ProxyAuthorizationDeps,
): AuthorizationDecision {
  const locations = new Set(items.map((item) => item.location));
  if (locations.size > 1) return invalid('a batch must be all local or all remote data channels');
  for (const item of items) {
    if (item.location === 'local') {
      if (item.sessionId !== undefined) return forbid('a local data channel names no session');
      if (!caller.canPublish && !caller.canChat) return forbid('your token does not allow chat');
      continue;
    }
    if (!caller.canSubscribe) return forbid('your token does not allow subscribing');
    const name = item.dataChannelName ?? '';
    if (!deps.publications.isPublished(caller.room, item.sessionId ?? '', name, caller.userId)) {
      return notInRoom('that data channel is not published in your room');
    }
  }
  return allow;
}

function authorizeTracks(
  route: TrackItemRule['route'],
  tracks: readonly Partial<TrackObject>[],
  autoDiscover: boolean,
  caller: CallTokenClaims,
  deps: ProxyAuthorizationDeps,
): AuthorizationDecision {
  const locations = new Set(tracks.map((t) => t.location));
  if (locations.size > 1) return invalid('a batch must be all local or all remote tracks');
  if (autoDiscover) {
    // autoDiscover publishes the caller's own offer; it never needs a reference to anyone else's track.
    if (locations.has('remote')) return forbid('autoDiscover cannot be combined with remote tracks');
    if (!caller.canPublish) return forbid('your token does not allow publishing');
  }
  const withheld: WithheldTrack[] = [];
  for (const [index, track] of tracks.entries()) {
    const rule = ruleFor(route, track);
    if (!rule)
      return forbid(`tracks[${index}] has a shape this server does not forward (${describe(track)})`);
    const decision = checkItem(rule.check, track, caller, deps);
    if (decision.ok) continue;
    if (decision.errorCode !== ProxyErrorCode.notInRoom) return decision;
    withheld.push({ index, errorCode: decision.errorCode, errorDescription: decision.errorDescription });
  }
  // Nothing left to forward: the whole call is refused (a hand-made pull of another room's track gets 403).
  if (withheld.length === tracks.length && withheld.length > 0)
    return notInRoom(withheld[0]!.errorDescription);
  return withheld.length > 0 ? { ok: true, withheld } : allow;
}

/** The rule an item matches: same route and location, every required field, nothing outside the rule. */
export function ruleFor(
  route: TrackItemRule['route'],
  track: Partial<TrackObject>,
): TrackItemRule | undefined {
  const present = presentFields(track);
  return TRACK_ITEM_RULES.find(
    (rule) =>
      rule.route === route &&
      rule.location === track.location &&
      rule.required.every((field) => present.includes(field)) &&
      present.every((field) => rule.required.includes(field) || rule.optional.includes(field)),
  );
}

function checkItem(
  check: TrackItemCheck,
  track: Partial<TrackObject>,
  caller: CallTokenClaims,
  deps: ProxyAuthorizationDeps,
): AuthorizationDecision {
  switch (check) {
    case 'publish':
      return caller.canPublish ? allow : forbid('your token does not allow publishing');
    case 'pull-from-room':
      if (!caller.canSubscribe) return forbid('your token does not allow subscribing');
      // The caller's current breakout room (the main room is one too): a move changes what they may pull.
      return deps.publications.isPublished(
        caller.room,
        track.sessionId ?? '',
        track.trackName ?? '',
        caller.userId,
      )
        ? allow
        : notInRoom('that track is not published in your room');
  }
}

function presentFields(track: Partial<TrackObject>): TrackField[] {
  return (Object.keys(track) as (keyof TrackObject)[]).filter(
    (key): key is TrackField => key !== 'location' && track[key] !== undefined,
  );
}

function describe(track: Partial<TrackObject>): string {
  const fields = presentFields(track);
  return `location ${track.location ?? 'missing'}${fields.length ? ` with ${fields.join(', ')}` : ''}`;
}
