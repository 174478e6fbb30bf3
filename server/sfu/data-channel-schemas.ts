// Request bodies of the DataChannel endpoints (realtime-api-2024-05-21.yaml), checked at the boundary.
import * as v from 'valibot';
import { MAX_TRACKS_PER_CALL } from './limits.js';

const shortString = v.pipe(v.string(), v.maxLength(256));
const unsignedShort = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));

const SessionDescription = v.object({
  type: v.picklist(['offer', 'answer']),
  sdp: v.string(),
});

const DataChannelObject = v.object({
  location: v.optional(v.picklist(['local', 'remote'])),
  sessionId: v.optional(shortString),
  dataChannelName: v.optional(shortString),
  ordered: v.optional(v.boolean()),
  maxRetransmits: v.optional(unsignedShort),
  maxPacketLifeTime: v.optional(unsignedShort),
  waitForAck: v.optional(v.boolean()),
  canReply: v.optional(v.boolean()),
  id: v.optional(unsignedShort),
});

const batch = v.pipe(v.array(DataChannelObject), v.minLength(1), v.maxLength(MAX_TRACKS_PER_CALL));

export const EstablishRequest = v.optional(
  v.object({
    sessionDescription: v.optional(SessionDescription),
    dataChannel: v.optional(DataChannelObject),
  }),
);
export const DataChannelsRequest = v.object({ dataChannels: batch });
export const DataChannelsCloseRequest = v.object({
  dataChannels: v.pipe(
    v.array(v.object({ id: unsignedShort })),
    v.minLength(1),
    v.maxLength(MAX_TRACKS_PER_CALL),
  ),
});

export type DataChannelObjectBody = v.InferOutput<typeof DataChannelObject>;
