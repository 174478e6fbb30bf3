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

// ---- DataChannels: only the fields the chat needs are forwarded ----

const DataChannelNameSchema = TrackNameSchema;
const StreamIdSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));

const DataChannelObjectSchema = v.object({
  location: v.picklist(['local', 'remote']),
  dataChannelName: DataChannelNameSchema,
  sessionId: v.optional(SessionIdSchema),
  ordered: v.optional(v.boolean()),
  maxRetransmits: v.optional(StreamIdSchema),
  maxPacketLifeTime: v.optional(StreamIdSchema),
  waitForAck: v.optional(v.boolean()),
  canReply: v.optional(v.boolean()),
});
export type DataChannelObject = v.InferOutput<typeof DataChannelObjectSchema>;

export const DataChannelsEstablishBodySchema = v.object({
  sessionDescription: v.optional(SessionDescriptionSchema),
  dataChannel: v.optional(
    v.object({ location: v.literal('remote'), dataChannelName: v.literal('server-events') }),
  ),
});

export const DataChannelsNewBodySchema = v.object({
  dataChannels: v.pipe(v.array(DataChannelObjectSchema), v.minLength(1), v.maxLength(MAX_TRACKS_PER_CALL)),
});

export const DataChannelsUpdateBodySchema = v.object({
  dataChannels: v.pipe(
    v.array(v.object({ id: StreamIdSchema, canReply: v.optional(v.boolean()) })),
    v.minLength(1),
    v.maxLength(MAX_TRACKS_PER_CALL),
  ),
});

export const DataChannelsCloseBodySchema = v.object({
  dataChannels: v.pipe(
    v.array(v.object({ id: StreamIdSchema })),
    v.minLength(1),
    v.maxLength(MAX_TRACKS_PER_CALL),
  ),
});
