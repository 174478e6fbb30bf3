// WHIP ingest (RFC 9725) at `POST /whip/:room`: an encoder such as OBS publishes into a room with the room's own
// token. The offer goes to the SFU as `sessions/new` + `tracks/new` with `autoDiscover`; the stream joins the
// room's presence as a participant with the `streaming` badge and leaves on DELETE or when its media stops.
// Runtime-neutral: Node mounts it in its process; the Worker in each room's Durable Object.
import type { Clock } from '../core/clock.js';
import type { SessionStore } from '../core/proxy-room-state.js';
import type { Schedule } from '../core/schedule.js';
import type { StreamMember, StreamPresence, StreamTrack } from '../core/stream-participant.js';
import { MAX_USER_ID_LENGTH } from '../../src/protocol/limits.js';
import type { SfuClient } from './sfu-client.js';
import type { IceServer } from './sfu-upstream.js';
import { emptyResponse, MAX_SDP_BYTES, randomId, streamError } from './stream-http.js';
import {
  authorizeCaller,
  authorizeOwner,
  closeTracks,
  newSfuSession,
  readOffer,
  resourceCreated,
  StreamResources,
  streamEndpoint,
  type StreamHandler,
  type StreamResource,
} from './stream-resources.js';

export interface WhipRouteOptions {
  readonly sfu: SfuClient;
  /** Handed to the encoder as `Link: rel="ice-server"` headers; `[]` for the local SFU. */
  readonly iceServers: readonly IceServer[];
  readonly tokenSecret: string;
  /** The stream's SFU session is recorded here, so the room accepts its track announcements. */
  readonly sessions: Pick<SessionStore, 'record'>;
  readonly presence: StreamPresence;
  readonly now: Clock;
  readonly schedule: Schedule;
  /** How often the SFU is asked whether the stream still has media. Default 2 s. */
  readonly livenessIntervalMs?: number;
  /** Default 128 KiB. */
  readonly maxBodyBytes?: number;
}

/** POST and OPTIONS on `/whip/:room`; DELETE, PATCH and OPTIONS on a stream `/whip/:room/streams/:id`. */
export type WhipHandler = StreamHandler;

interface Stream extends StreamResource {
  readonly member: StreamMember;
}

/** The resource path of a stream (the `Location` of the 201). */
export function whipResourcePath(room: string, id: string): string {
  return `/whip/${encodeURIComponent(room)}/streams/${id}`;
}

const RESOURCE_METHODS = 'DELETE, OPTIONS';

/** The handler, plus what the adapter needs to watch and stop it. */
export interface WhipHandlerRoute extends WhipHandler {
  readonly streamCount: number;
  /** Stops watching every entry (the process is shutting down); the SFU is not called. */
  close(): void;
}

export function createWhipRoute(options: WhipRouteOptions): WhipHandlerRoute {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_SDP_BYTES;
  const { sfu } = options;
  const streams = new StreamResources<Stream>(sfu, options.schedule);

  const handler = streamEndpoint<never>({
    collection: (request, room) => publish(request, room),
    async resource(request, room, id) {
      const stream = streams.get(room, id);
      if (!stream) return streamError(404, 'not_found', 'no such stream');
      if (request.method === 'OPTIONS') return emptyResponse(204, { allow: RESOURCE_METHODS });
      if (request.method === 'PATCH') {
        return streamError(405, 'method_not_allowed', 'trickle ICE and ICE restarts are not supported', {
          allow: RESOURCE_METHODS,
        });
      }
      if (request.method !== 'DELETE') {
        return streamError(405, 'method_not_allowed', 'use DELETE', { allow: RESOURCE_METHODS });
      }
      const refused = await authorizeOwner(request, stream, options);
      if (refused) return refused;
      await end(stream);
      return emptyResponse(200);
    },
  });

  async function publish(request: Request, room: string): Promise<Response> {
    const caller = await authorizeCaller(request, room, options, 'canPublish');
    if (caller instanceof Response) return caller;
    const offer = await readOffer(request, maxBodyBytes);
    if (offer instanceof Response) return offer;

    const sessionId = await newSfuSession(sfu);
    if (sessionId === undefined)
      return streamError(502, 'upstream_error', 'the SFU did not create a session');
    const pushed = await sfu('POST', `/sessions/${sessionId}/tracks/new`, {
      sessionDescription: { type: 'offer', sdp: offer },
      autoDiscover: true,
    });
    const answer = (pushed.json.sessionDescription as { sdp?: unknown } | undefined)?.sdp;
    const items = Array.isArray(pushed.json.tracks) ? (pushed.json.tracks as Record<string, unknown>[]) : [];
    const tracks = items.filter(
      (t): t is { mid: string; trackName: string; kind: 'audio' | 'video' } =>
        !t.errorCode &&
        typeof t.mid === 'string' &&
        typeof t.trackName === 'string' &&
        (t.kind === 'audio' || t.kind === 'video'),
    );
    if (pushed.status >= 300 || typeof answer !== 'string' || tracks.length === 0) {
      const mids = tracks.map((t) => t.mid);
      if (mids.length > 0) await closeTracks(sfu, sessionId, mids).catch(() => undefined);
      return upstreamRefused(pushed.json, 'the offer has no audio or video the SFU can receive');
    }

    // The stream is its own participant, next to (never replacing) its user's browser.
    const participantId = `whip:${caller.userId}`.slice(0, MAX_USER_ID_LENGTH);
    options.sessions.record(sessionId, { userId: participantId, room });
    const id = randomId();
    // The room dropped the stream by itself (a newer stream of the same user replaced it): end it here too.
    const member = options.presence.join(room, { ...caller, userId: participantId }, () => {
      const dropped = streams.get(room, id);
      if (dropped) void streams.end(dropped);
    });
    member.announce(tracks.map((t): StreamTrack => ({ sessionId, trackName: t.trackName, kind: t.kind })));
    const stream: Stream = {
      id,
      room,
      userId: caller.userId,
      sessionId,
      mids: tracks.map((t) => t.mid),
      etag: `"${randomId()}"`,
      member,
    };
    streams.add(stream, options.livenessIntervalMs ?? 2_000, async (live) => {
      if (!(await hasMedia(live))) {
        live.member.leave();
        return false;
      }
      live.member.touch();
      return true;
    });
    return resourceCreated(201, answer, whipResourcePath(room, id), stream, options.iceServers);
  }

  /** The SFU still has the session and at least one of the stream's tracks is active. */
  async function hasMedia(stream: Stream): Promise<boolean> {
    const reply = await sfu('GET', `/sessions/${stream.sessionId}`); // unreachable: not the stream's fault
    if (reply.status >= 400) return false;
    const tracks = Array.isArray(reply.json.tracks) ? (reply.json.tracks as Record<string, unknown>[]) : [];
    return tracks.some(
      (t) => t.location === 'local' && t.status === 'active' && stream.mids.includes(String(t.mid)),
    );
  }

  async function end(stream: Stream): Promise<void> {
    stream.member.leave();
    await streams.end(stream);
  }

  return Object.defineProperties(handler, {
    streamCount: { get: () => streams.size },
    close: { value: () => streams.close() },
  }) as WhipHandlerRoute;
}

/** The SFU said no: 400 for what it found wrong with the offer, 502 for anything else. */
function upstreamRefused(json: Record<string, unknown>, fallback = 'the SFU refused the stream'): Response {
  const description = typeof json.errorDescription === 'string' ? json.errorDescription : fallback;
  const code = typeof json.errorCode === 'string' ? json.errorCode : 'invalid_sdp';
  const offerProblem = /sdp|decoding|invalid/i.test(code) || !json.errorCode;
  return offerProblem
    ? streamError(400, code, description.slice(0, 300))
    : streamError(502, 'upstream_error', description.slice(0, 300));
}
