// Request bodies of the Cloudflare Realtime SFU API (realtime-api-2024-05-21.yaml), checked at the boundary.
// Unknown fields are dropped, not rejected: partytracks echoes extra push metadata back in its pulls.
import * as v from 'valibot';
import { errors } from './errors.js';
import { MAX_BODY_BYTES, MAX_TRACKS_PER_CALL } from './limits.js';

const shortString = v.pipe(v.string(), v.maxLength(256));

const SessionDescription = v.object({
  type: v.picklist(['offer', 'answer']),
  sdp: v.pipe(v.string(), v.maxLength(MAX_BODY_BYTES)),
});

const Simulcast = v.object({
  preferredRid: v.optional(v.pipe(v.string(), v.maxLength(16))),
  priorityOrdering: v.optional(v.picklist(['none', 'asciibetical'])),
  ridNotAvailable: v.optional(v.picklist(['none', 'asciibetical'])),
});

const TrackObject = v.object({
  location: v.optional(v.picklist(['local', 'remote'])),
  mid: v.optional(shortString),
  sessionId: v.optional(shortString),
  trackName: v.optional(shortString),
  bidirectionalMediaStream: v.optional(v.boolean()),
  kind: v.optional(shortString),
  simulcast: v.optional(Simulcast),
});

const Tracks = v.array(TrackObject);

export const NewSessionRequest = v.optional(v.object({ sessionDescription: v.optional(SessionDescription) }));
export const TracksRequest = v.object({
  sessionDescription: v.optional(SessionDescription),
  tracks: v.optional(Tracks),
  autoDiscover: v.optional(v.boolean()),
});
export const RenegotiateRequest = v.object({ sessionDescription: SessionDescription });
export const UpdateTracksRequest = v.object({
  sessionDescription: v.optional(SessionDescription),
  tracks: Tracks,
});
export const CloseTracksRequest = v.object({
  sessionDescription: v.optional(SessionDescription),
  tracks: v.pipe(v.array(v.object({ mid: shortString })), v.minLength(1)),
  force: v.boolean(),
});

export type SessionDescriptionBody = v.InferOutput<typeof SessionDescription>;
export type TrackObjectBody = v.InferOutput<typeof TrackObject>;

/** Validates `body` or throws `decoding_error` (400) naming the first bad field. */
export function decode<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  // valibot's object schema accepts arrays; every API body is a JSON object.
  if (Array.isArray(body)) throw errors.decoding('body: expected a JSON object');
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') || 'body';
  throw errors.decoding(`${path}: ${issue.message}`);
}

/** Cloudflare's batch limit: `invalid_params` (406) above 64 tracks in one call. */
export function checkTrackCount(tracks: readonly unknown[] | undefined): void {
  if (tracks && tracks.length > MAX_TRACKS_PER_CALL) {
    throw errors.invalidParams(`Expecting at most ${MAX_TRACKS_PER_CALL} tracks in the request`);
  }
}
