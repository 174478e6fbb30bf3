// WHIP ingest (RFC 9725) at `POST /whip/:room`: an encoder such as OBS publishes into a room with the room's own
// token. The offer goes to the SFU as `sessions/new` + `tracks/new` with `autoDiscover`; the stream joins the
// room's presence as a participant with the `streaming` badge and leaves on DELETE or when its media stops.
// Runtime-neutral: the Node adapter mounts it now; the Workers adapter mounts the same handler.
import type { Clock } from '../core/clock.js';
import { isValidRoomName } from '../core/room-name.js';
import type { Schedule } from '../core/schedule.js';
import type { SessionRegistry } from '../core/session-registry.js';
import type { StreamMember, StreamPresence, StreamTrack } from '../core/stream-participant.js';
import { MAX_USER_ID_LENGTH } from '../../src/protocol/limits.js';
import { SfuUnavailableError, type SfuClient } from './sfu-client.js';
import type { IceServer } from './sfu-upstream.js';
import {
  emptyResponse,
  iceServerLinks,
  isSdpContent,
  MAX_SDP_BYTES,
  randomId,
  readSdp,
  repeat,
  sdpResponse,
  streamError,
  verifyRoomToken,
} from './stream-http.js';

export interface WhipRouteOptions {
  readonly sfu: SfuClient;
  /** Handed to the encoder as `Link: rel="ice-server"` headers; `[]` for the local SFU. */
  readonly iceServers: readonly IceServer[];
  readonly tokenSecret: string;
  /** The stream's SFU session is recorded here, so the room accepts its track announcements. */
  readonly sessions: SessionRegistry;
  readonly presence: StreamPresence;
  readonly now: Clock;
  readonly schedule: Schedule;
  /** How often the SFU is asked whether the stream still has media. Default 2 s. */
  readonly livenessIntervalMs?: number;
  /** Default 128 KiB. */
  readonly maxBodyBytes?: number;
}

/** `(request, room, streamId?)`: POST and OPTIONS on `/whip/:room`; DELETE, PATCH and OPTIONS on the resource. */
export type WhipHandler = (request: Request, room: string, streamId?: string) => Promise<Response>;

interface Stream {
  readonly id: string;
  readonly room: string;
  /** Who created it (the token's user): only they may end it. */
  readonly userId: string;
  readonly sessionId: string;
  readonly mids: readonly string[];
  readonly etag: string;
  readonly member: StreamMember;
  stopWatching: () => void;
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
  const streams = new Map<string, Stream>();
  const maxBodyBytes = options.maxBodyBytes ?? MAX_SDP_BYTES;
  const { sfu } = options;

  const handler: WhipHandler = async (request, room, streamId) => {
    if (!isValidRoomName(room)) return streamError(404, 'not_found', 'unknown room path');
    try {
      if (streamId === undefined) {
        if (request.method === 'OPTIONS') {
          return emptyResponse(204, { allow: 'POST, OPTIONS', 'accept-post': 'application/sdp' });
        }
        if (request.method !== 'POST') {
          return streamError(405, 'method_not_allowed', 'use POST', { allow: 'POST, OPTIONS' });
        }
        return await publish(request, room);
      }
      const stream = streams.get(streamId);
      if (!stream || stream.room !== room) return streamError(404, 'not_found', 'no such stream');
      if (request.method === 'OPTIONS') return emptyResponse(204, { allow: RESOURCE_METHODS });
      if (request.method === 'PATCH') {
        return streamError(405, 'method_not_allowed', 'trickle ICE and ICE restarts are not supported', {
          allow: RESOURCE_METHODS,
        });
      }
      if (request.method !== 'DELETE') {
        return streamError(405, 'method_not_allowed', 'use DELETE', { allow: RESOURCE_METHODS });
      }
      const caller = await verifyRoomToken(request, room, options.tokenSecret, options.now);
      if (caller instanceof Response) return caller;
      if (caller.userId !== stream.userId) {
        return streamError(403, 'forbidden', 'only the token user who started this stream may end it');
      }
      await end(stream);
      return emptyResponse(200);
    } catch (error) {
      if (error instanceof SfuUnavailableError)
        return streamError(502, 'upstream_unavailable', error.message);
      throw error;
    }
  };

  async function publish(request: Request, room: string): Promise<Response> {
    const caller = await verifyRoomToken(request, room, options.tokenSecret, options.now);
    if (caller instanceof Response) return caller;
    if (!caller.canPublish) return streamError(403, 'forbidden', 'this token may not publish');
    if (!isSdpContent(request)) {
      return streamError(415, 'unsupported_media_type', 'send the offer as Content-Type: application/sdp');
    }
    const offer = await readSdp(request, maxBodyBytes);
    if (offer instanceof Response) return offer;
    if (offer.length === 0) return streamError(400, 'invalid_sdp', 'the body must be an SDP offer');

    const created = await sfu('POST', '/sessions/new');
    const sessionId = created.json.sessionId;
    if (created.status >= 300 || typeof sessionId !== 'string') return upstreamRefused(created.json);
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
      if (tracks.length > 0)
        await closeTracks(
          sessionId,
          tracks.map((t) => t.mid),
        ).catch(() => undefined);
      return upstreamRefused(pushed.json, 'the offer has no audio or video the SFU can receive');
    }

    // The stream is its own participant, next to (never replacing) its user's browser.
    const participantId = `whip:${caller.userId}`.slice(0, MAX_USER_ID_LENGTH);
    options.sessions.record(sessionId, { userId: participantId, room });
    const id = randomId();
    // The room dropped the stream by itself (a newer stream of the same user replaced it): end it here too.
    const member = options.presence.join(room, { ...caller, userId: participantId }, () => {
      const dropped = streams.get(id);
      if (dropped) void end(dropped, false);
    });
    const announced: StreamTrack[] = tracks.map((t) => ({ sessionId, trackName: t.trackName, kind: t.kind }));
    member.announce(announced);
    const stream: Stream = {
      id,
      room,
      userId: caller.userId,
      sessionId,
      mids: tracks.map((t) => t.mid),
      etag: `"${randomId()}"`,
      member,
      stopWatching: () => undefined,
    };
    streams.set(id, stream);
    const watched = stream;
    watched.stopWatching = repeat(options.schedule, options.livenessIntervalMs ?? 2_000, async () => {
      if (!streams.has(id)) return false;
      if (await hasMedia(watched)) {
        watched.member.touch();
        return true;
      }
      await end(watched);
      return false;
    });

    const headers: Record<string, string> = { location: whipResourcePath(room, id), etag: stream.etag };
    const response = sdpResponse(201, answer, headers);
    for (const link of iceServerLinks(options.iceServers)) response.headers.append('link', link);
    return response;
  }

  /** The SFU still has the session and at least one of the stream's tracks is active. */
  async function hasMedia(stream: Stream): Promise<boolean> {
    let reply;
    try {
      reply = await sfu('GET', `/sessions/${stream.sessionId}`);
    } catch {
      return true; // the SFU is unreachable for a moment: that is not the stream's fault
    }
    if (reply.status >= 400) return false;
    const tracks = Array.isArray(reply.json.tracks) ? (reply.json.tracks as Record<string, unknown>[]) : [];
    return tracks.some(
      (t) => t.location === 'local' && t.status === 'active' && stream.mids.includes(String(t.mid)),
    );
  }

  async function end(stream: Stream, leaveRoom = true): Promise<void> {
    if (!streams.delete(stream.id)) return;
    stream.stopWatching();
    if (leaveRoom) stream.member.leave();
    await closeTracks(stream.sessionId, stream.mids).catch(() => undefined);
  }

  function closeTracks(sessionId: string, mids: readonly string[]) {
    return sfu('PUT', `/sessions/${sessionId}/tracks/close`, {
      tracks: mids.map((mid) => ({ mid })),
      force: true,
    });
  }

  return Object.defineProperties(handler, {
    streamCount: { get: () => streams.size },
    close: {
      value: () => {
        for (const entry of streams.values()) entry.stopWatching();
        streams.clear();
      },
    },
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
