// Request bodies of the SFU calls partytracks makes, as valibot schemas. Parsing with v.object drops every
// field we don't know, so only checked fields are ever forwarded to the SFU.
import * as v from 'valibot';
import { SessionIdSchema, TrackNameSchema } from '../../src/protocol/schemas.js';

/** Cloudflare's per-call limit. */
const MAX_TRACKS_PER_CALL = 64;

const SessionDescriptionSchema = v.object({
  type: v.picklist(['offer', 'answer']),
  sdp: v.pipe(v.string(), v.startsWith('v=0')),
});

const MidSchema = v.pipe(v.string(), v.maxLength(64));
const RidSchema = v.pipe(v.string(), v.maxLength(16));
const OrderingSchema = v.picklist(['none', 'asciibetical']);

const TrackObjectSchema = v.object({
  location: v.picklist(['local', 'remote']),
  mid: v.optional(MidSchema),
  sessionId: v.optional(SessionIdSchema),
  trackName: v.optional(TrackNameSchema),
  kind: v.optional(v.picklist(['audio', 'video'])),
  bidirectionalMediaStream: v.optional(v.boolean()),
  simulcast: v.optional(
    v.object({
      preferredRid: v.optional(RidSchema),
      priorityOrdering: v.optional(OrderingSchema),
      ridNotAvailable: v.optional(OrderingSchema),
    }),
  ),
});
export type TrackObject = v.InferOutput<typeof TrackObjectSchema>;

const tracks = (min: number) =>
  v.pipe(v.array(TrackObjectSchema), v.minLength(min), v.maxLength(MAX_TRACKS_PER_CALL));

export const TracksNewBodySchema = v.object({
  sessionDescription: v.optional(SessionDescriptionSchema),
  tracks: v.optional(tracks(0)),
  autoDiscover: v.optional(v.boolean()),
});

export const RenegotiateBodySchema = v.object({
  sessionDescription: SessionDescriptionSchema,
});

export const TracksUpdateBodySchema = v.object({
  sessionDescription: v.optional(SessionDescriptionSchema),
  tracks: tracks(1),
});

export const TracksCloseBodySchema = v.object({
  sessionDescription: v.optional(SessionDescriptionSchema),
  tracks: v.pipe(v.array(v.object({ mid: MidSchema })), v.minLength(1), v.maxLength(MAX_TRACKS_PER_CALL)),
  force: v.boolean(),
});

/** Data channels are refused by authorization; their bodies are parsed only so the refusal is a 403. */
export const DataChannelsBodySchema = v.object({});
