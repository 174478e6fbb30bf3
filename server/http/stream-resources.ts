// The one place where WHIP and WHEP agree on how a request is handled: the endpoint's shape (room path check,
// OPTIONS, POST only, an unreachable SFU as 502), who may touch a resource (its creator's room token), the
// offer body (application/sdp, capped), the 201/406 reply, and the live resources themselves (an SFU session
// and its mids, watched for liveness and closed at the SFU when they end).
import type { CallTokenClaims } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import { isValidRoomName } from '../core/room-name.js';
import type { Schedule } from '../core/schedule.js';
import { SfuUnavailableError, type SfuClient } from './sfu-client.js';
import type { IceServer } from './sfu-upstream.js';
import {
  emptyResponse,
  iceServerLinks,
  isSdpContent,
  readSdp,
  repeat,
  sdpResponse,
  streamError,
  verifyRoomToken,
} from './stream-http.js';

/** What every WHIP stream and WHEP viewer is: an SFU session in one room, created by one token user. */
export interface StreamResource {
  readonly id: string;
  readonly room: string;
  /** The token user who created it (only they may end it); undefined for an anonymous public viewer. */
  readonly userId: string | undefined;
  readonly sessionId: string;
  readonly mids: readonly string[];
  readonly etag: string;
}

/** A resource's path: `/whip/:room/streams/:id` or `/whep/:room/viewers/:id`. */
export interface ResourceTarget {
  readonly resource: string;
}

/**
 * `(request, room, target?)`: the endpoint itself (`target` is what it takes beyond the room: WHEP's participant),
 * or one of its resources (`target` = `{ resource: id }`). The adapters mount it (server/http/app.ts).
 */
export type StreamHandler<Target = never> = (
  request: Request,
  room: string,
  target?: Target | ResourceTarget,
) => Promise<Response>;

/**
 * The endpoint's frame: 404 for a bad room name, and 502 when the SFU can't be reached. `collection` handles
 * POST on the endpoint itself (OPTIONS and other methods are answered here); `resource` a resource's path.
 */
export function streamEndpoint<Target>(handlers: {
  readonly collection: (request: Request, room: string, target: Target | undefined) => Promise<Response>;
  readonly resource: (request: Request, room: string, id: string) => Promise<Response>;
}): StreamHandler<Target> {
  return async (request, room, target) => {
    if (!isValidRoomName(room)) return streamError(404, 'not_found', 'unknown room path');
    try {
      if (isResourceTarget(target)) return await handlers.resource(request, room, target.resource);
      if (request.method === 'OPTIONS') {
        return emptyResponse(204, { allow: 'POST, OPTIONS', 'accept-post': 'application/sdp' });
      }
      if (request.method !== 'POST') {
        return streamError(405, 'method_not_allowed', 'use POST', { allow: 'POST, OPTIONS' });
      }
      return await handlers.collection(request, room, target);
    } catch (error) {
      if (error instanceof SfuUnavailableError) {
        return streamError(502, 'upstream_unavailable', error.message);
      }
      throw error;
    }
  };
}

function isResourceTarget(target: unknown): target is ResourceTarget {
  return typeof target === 'object' && target !== null && 'resource' in target;
}

/** The room token of the caller, with the right the endpoint needs (403 without it). */
export async function authorizeCaller(
  request: Request,
  room: string,
  auth: { readonly tokenSecret: string; readonly now: Clock },
  right: 'canPublish' | 'canSubscribe',
): Promise<CallTokenClaims | Response> {
  const caller = await verifyRoomToken(request, room, auth.tokenSecret, auth.now);
  if (caller instanceof Response) return caller;
  if (!caller[right]) {
    return streamError(
      403,
      'forbidden',
      `this token may not ${right === 'canPublish' ? 'publish' : 'subscribe'}`,
    );
  }
  return caller;
}

/** Only the token user who created a resource may change or end it; anonymous resources need no token. */
export async function authorizeOwner(
  request: Request,
  resource: StreamResource,
  auth: { readonly tokenSecret: string; readonly now: Clock },
): Promise<Response | undefined> {
  if (resource.userId === undefined) return undefined;
  const caller = await verifyRoomToken(request, resource.room, auth.tokenSecret, auth.now);
  if (caller instanceof Response) return caller;
  if (caller.userId !== resource.userId) {
    return streamError(403, 'forbidden', 'only the token user who started this may change or end it');
  }
  return undefined;
}

/**
 * The offer in the body: 415 unless `Content-Type: application/sdp`, 413 above the cap, 400 when it is not SDP.
 * With `allowEmpty` (WHEP's counter-offer mode) an empty body of any type is `''`.
 */
export async function readOffer(
  request: Request,
  maxBytes: number,
  { allowEmpty = false } = {},
): Promise<string | Response> {
  const unsupported = () =>
    streamError(415, 'unsupported_media_type', 'send the offer as Content-Type: application/sdp');
  if (!allowEmpty && !isSdpContent(request)) return unsupported();
  const offer = await readSdp(request, maxBytes);
  if (offer instanceof Response) return offer;
  if (offer.length > 0 && !isSdpContent(request)) return unsupported();
  if (offer.length === 0 && !allowEmpty)
    return streamError(400, 'invalid_sdp', 'the body must be an SDP offer');
  return offer;
}

/** `201 Created` (or WHEP's `406` counter-offer) with the SDP, the resource's Location and ETag, and ICE Links. */
export function resourceCreated(
  status: 201 | 406,
  sdp: string,
  location: string,
  resource: StreamResource,
  iceServers: readonly IceServer[],
  headers: Record<string, string> = {},
): Response {
  const response = sdpResponse(status, sdp, { location, etag: resource.etag, ...headers });
  for (const link of iceServerLinks(iceServers)) response.headers.append('link', link);
  return response;
}

/** The live resources of one endpoint: each watched for liveness, and closed at the SFU when it ends. */
export class StreamResources<T extends StreamResource> {
  readonly #entries = new Map<string, { readonly resource: T; stopWatching: () => void }>();
  readonly #sfu: SfuClient;
  readonly #schedule: Schedule;

  constructor(sfu: SfuClient, schedule: Schedule) {
    this.#sfu = sfu;
    this.#schedule = schedule;
  }

  /**
   * Tracks `resource`; every `intervalMs` asks `isAlive` whether it still is (a rejection counts as yes, the
   * SFU being unreachable for a moment), and ends it at the first no.
   */
  add(resource: T, intervalMs: number, isAlive: (resource: T) => Promise<boolean>): void {
    const entry = { resource, stopWatching: () => {} };
    this.#entries.set(resource.id, entry);
    entry.stopWatching = repeat(this.#schedule, intervalMs, async () => {
      if (this.#entries.get(resource.id) !== entry) return false;
      if (await isAlive(resource)) return true;
      await this.end(resource);
      return false;
    });
  }

  /** The resource `id` of `room`, if it is live. */
  get(room: string, id: string): T | undefined {
    const resource = this.#entries.get(id)?.resource;
    return resource?.room === room ? resource : undefined;
  }

  /** Forgets the resource and closes its tracks at the SFU. False if it had already ended. */
  async end(resource: T): Promise<boolean> {
    const entry = this.#entries.get(resource.id);
    if (!entry) return false;
    this.#entries.delete(resource.id);
    entry.stopWatching();
    await closeTracks(this.#sfu, resource.sessionId, resource.mids).catch(() => undefined);
    return true;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Stops watching every resource (the server is shutting down); the SFU is not called. */
  close(): void {
    for (const entry of this.#entries.values()) entry.stopWatching();
    this.#entries.clear();
  }
}

/** Closes `mids` of an SFU session, whether or not the peer is still there. */
export function closeTracks(sfu: SfuClient, sessionId: string, mids: readonly string[]) {
  return sfu('PUT', `/sessions/${sessionId}/tracks/close`, {
    tracks: mids.map((mid) => ({ mid })),
    force: true,
  });
}

/** The SFU's `sessions/new`: the new session's id, or undefined when the SFU refused. */
export async function newSfuSession(sfu: SfuClient): Promise<string | undefined> {
  const created = await sfu('POST', '/sessions/new');
  const sessionId = created.json.sessionId;
  return created.status < 300 && typeof sessionId === 'string' ? sessionId : undefined;
}
