// WHEP playback (draft-ietf-wish-whep) at `POST /whep/:room` and `POST /whep/:room/:participant`: any WHEP
// player watches one participant of a room (or the room's stage) without joining it. The player's recvonly
// offer becomes `sessions/new` + `tracks/new` pulling that participant's tracks, answered by the SFU. A player
// that posts no offer gets the SFU's offer back as a 406 counter-offer and answers it with PATCH.
// Runtime-neutral, like the WHIP route.
import type { CallTokenClaims } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import { pickStreamSource, type RoomStreams } from '../core/room-streams.js';
import type { Schedule } from '../core/schedule.js';
import type { SfuClient } from './sfu-client.js';
import type { IceServer } from './sfu-upstream.js';
import { emptyResponse, ifMatchFails, MAX_SDP_BYTES, randomId, readSdp, streamError } from './stream-http.js';
import {
  authorizeCaller,
  authorizeOwner,
  newSfuSession,
  readOffer,
  resourceCreated,
  StreamResources,
  streamEndpoint,
  type StreamHandler,
  type StreamResource,
} from './stream-resources.js';

export interface WhepRouteOptions {
  readonly sfu: SfuClient;
  /** Sent to the player as `Link: rel="ice-server"` headers; `[]` for the local SFU. */
  readonly iceServers: readonly IceServer[];
  readonly tokenSecret: string;
  readonly rooms: RoomStreams;
  readonly now: Clock;
  readonly schedule: Schedule;
  /**
   * Public broadcasts: rooms anyone may watch without a token. Default: none; every viewer needs a room token
   * with `canSubscribe`.
   */
  readonly isPublicRoom?: (room: string) => boolean;
  /** How often the SFU is asked whether a viewer's session still exists. Default 5 s. */
  readonly livenessIntervalMs?: number;
  /** Default 128 KiB. */
  readonly maxBodyBytes?: number;
}

/**
 * POST on `/whep/:room` and `/whep/:room/:participant` (`target` = participant), and DELETE, PATCH and
 * OPTIONS on a viewer resource `/whep/:room/viewers/:id` (`target` = `{ resource: id }`).
 */
export type WhepHandler = StreamHandler<string>;

interface Viewer extends StreamResource {
  /** Counter-offer mode: the SFU's offer is out and the player's PATCH has not arrived. */
  awaitingAnswer: boolean;
}

export function whepResourcePath(room: string, id: string): string {
  return `/whep/${encodeURIComponent(room)}/viewers/${id}`;
}

const RESOURCE_METHODS = 'DELETE, PATCH, OPTIONS';

/** The handler, plus what the adapter needs to watch and stop it. */
export interface WhepHandlerRoute extends WhepHandler {
  readonly viewerCount: number;
  /** Stops watching every entry (the process is shutting down); the SFU is not called. */
  close(): void;
}

export function createWhepRoute(options: WhepRouteOptions): WhepHandlerRoute {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_SDP_BYTES;
  const { sfu } = options;
  const viewers = new StreamResources<Viewer>(sfu, options.schedule);

  const handler = streamEndpoint<string>({ collection: watch, resource: onViewer });

  /** The caller's claims, `null` for an anonymous viewer of a public room, or the refusal. */
  async function viewerOf(request: Request, room: string): Promise<CallTokenClaims | null | Response> {
    if (!request.headers.has('authorization') && options.isPublicRoom?.(room)) return null;
    return authorizeCaller(request, room, options, 'canSubscribe');
  }

  async function watch(request: Request, room: string, participantId: string | undefined): Promise<Response> {
    const caller = await viewerOf(request, room);
    if (caller instanceof Response) return caller;
    const body = await readOffer(request, maxBodyBytes, { allowEmpty: true });
    if (body instanceof Response) return body;
    const source = pickStreamSource(options.rooms.snapshot(room), participantId);
    if (!source) {
      return streamError(
        404,
        'not_found',
        participantId === undefined
          ? 'nobody in this room is publishing'
          : 'that participant publishes nothing',
      );
    }

    const sessionId = await newSfuSession(sfu);
    if (sessionId === undefined)
      return streamError(502, 'upstream_error', 'the SFU did not create a session');
    const counterOffer = body.length === 0;
    const pulled = await sfu('POST', `/sessions/${sessionId}/tracks/new`, {
      tracks: source.tracks.map((t) => ({
        location: 'remote',
        sessionId: t.sessionId,
        trackName: t.trackName,
      })),
      ...(counterOffer ? {} : { sessionDescription: { type: 'offer', sdp: body } }),
    });
    const description = pulled.json.sessionDescription as { type?: unknown; sdp?: unknown } | undefined;
    const items = Array.isArray(pulled.json.tracks) ? (pulled.json.tracks as Record<string, unknown>[]) : [];
    const mids = items
      .filter((t) => !t.errorCode && typeof t.mid === 'string' && t.mid)
      .map((t) => String(t.mid));
    if (pulled.status >= 300 || typeof description?.sdp !== 'string' || mids.length === 0) {
      const why = items.find((t) => typeof t.errorDescription === 'string')?.errorDescription;
      const text =
        typeof why === 'string' ? why : String(pulled.json.errorDescription ?? 'no track could be pulled');
      return pulled.status === 400 && !counterOffer
        ? streamError(400, 'invalid_sdp', text.slice(0, 300))
        : streamError(404, 'not_found', text.slice(0, 300));
    }

    const viewer: Viewer = {
      id: randomId(),
      room,
      userId: caller?.userId,
      sessionId,
      mids,
      etag: `"${randomId()}"`,
      awaitingAnswer: counterOffer,
    };
    // A viewer whose player went away without DELETE: the SFU drops its session, and then so do we.
    viewers.add(viewer, options.livenessIntervalMs ?? 5_000, async (live) => {
      const state = await sfu('GET', `/sessions/${live.sessionId}`);
      return state.status < 400;
    });
    return resourceCreated(
      counterOffer ? 406 : 201,
      description.sdp,
      whepResourcePath(room, viewer.id),
      viewer,
      options.iceServers,
      counterOffer ? { 'accept-patch': 'application/sdp' } : {},
    );
  }

  async function onViewer(request: Request, room: string, id: string): Promise<Response> {
    const viewer = viewers.get(room, id);
    if (!viewer) return streamError(404, 'not_found', 'no such viewer session');
    if (request.method === 'OPTIONS') {
      return emptyResponse(204, { allow: RESOURCE_METHODS, 'accept-patch': 'application/sdp' });
    }
    if (request.method !== 'DELETE' && request.method !== 'PATCH') {
      return streamError(405, 'method_not_allowed', `use ${RESOURCE_METHODS}`, { allow: RESOURCE_METHODS });
    }
    const refused = await authorizeOwner(request, viewer, options);
    if (refused) return refused;
    if (request.method === 'DELETE') {
      await viewers.end(viewer);
      return emptyResponse(200);
    }
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/trickle-ice-sdpfrag') {
      return streamError(422, 'unsupported', 'trickle ICE and ICE restarts are not supported');
    }
    if (type !== 'application/sdp') {
      return streamError(415, 'unsupported_media_type', 'PATCH takes the answer as application/sdp', {
        'accept-patch': 'application/sdp',
      });
    }
    if (ifMatchFails(request, viewer.etag)) return streamError(412, 'precondition_failed', 'ETag mismatch');
    if (!viewer.awaitingAnswer)
      return streamError(409, 'conflict', 'no counter-offer is waiting for an answer');
    const answer = await readSdp(request, maxBodyBytes);
    if (answer instanceof Response) return answer;
    const applied = await sfu('PUT', `/sessions/${viewer.sessionId}/renegotiate`, {
      sessionDescription: { type: 'answer', sdp: answer },
    });
    if (applied.status >= 300 || applied.json.errorCode) {
      const text = String(applied.json.errorDescription ?? 'the answer was refused');
      return streamError(400, 'invalid_sdp', text.slice(0, 300));
    }
    viewer.awaitingAnswer = false;
    return emptyResponse(204, { etag: viewer.etag });
  }

  return Object.defineProperties(handler, {
    viewerCount: { get: () => viewers.size },
    close: { value: () => viewers.close() },
  }) as WhepHandlerRoute;
}
