// Authorization of SFU calls, before anything is forwarded. partytracks' proxy checks none of this: it only
// ties a session to the browser that created it. Here a call must come from the session's creator, pulls
// must name tracks that a current member of the caller's room publishes, and sending media needs canPublish.
import type { CallTokenClaims } from './call-token.js';
import type { PublicationLookup } from './presence-directory.js';
import type { ProxyRoute } from './proxy-route.js';
import { sdpSendsMedia } from './sdp-directions.js';
import type { TrackObject } from './sfu-request-schemas.js';
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
}

export type AuthorizationDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly status: 400 | 403;
      readonly errorCode: string;
      readonly errorDescription: string;
    };

const allow: AuthorizationDecision = { ok: true };
const forbid = (errorDescription: string): AuthorizationDecision => ({
  ok: false,
  status: 403,
  errorCode: 'forbidden',
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
  if (route.kind === 'datachannels') return forbid('data channels are not enabled on this server');
  if (!caller.canPublish && body?.sessionDescription && sdpSendsMedia(body.sessionDescription.sdp)) {
    return forbid('your token does not allow publishing');
  }
  switch (route.kind) {
    case 'tracks-new':
      return authorizeTracks(body?.tracks ?? [], body?.autoDiscover === true, caller, deps);
    case 'tracks-update':
      return authorizeTracks(body?.tracks ?? [], false, caller, deps);
    case 'session-state':
    case 'renegotiate':
    case 'tracks-close':
      return allow;
  }
}

function authorizeTracks(
  tracks: readonly Partial<TrackObject>[],
  autoDiscover: boolean,
  caller: CallTokenClaims,
  deps: ProxyAuthorizationDeps,
): AuthorizationDecision {
  const locations = new Set(tracks.map((t) => t.location));
  if (locations.size > 1) return invalid('a batch must be all local or all remote tracks');
  if (autoDiscover || locations.has('local')) {
    return caller.canPublish ? allow : forbid('your token does not allow publishing');
  }
  if (tracks.length > 0 && !caller.canSubscribe) return forbid('your token does not allow subscribing');
  for (const track of tracks) {
    if (track.sessionId === undefined || track.trackName === undefined) {
      return invalid('remote tracks need a sessionId and a trackName');
    }
    if (!deps.publications.isPublished(caller.room, track.sessionId, track.trackName)) {
      return forbid('that track is not published in your room');
    }
  }
  return allow;
}
