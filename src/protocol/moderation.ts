// The presence frames of host controls, raised hands and reactions. Kept apart from schemas.ts, which only lists
// them in its unions, so each feature's frames sit together.
import * as v from 'valibot';
import { MAX_USER_ID_LENGTH } from './limits.js';
import { PROTOCOL_VERSION } from './version.js';

const versionField = v.literal(PROTOCOL_VERSION);
const ParticipantIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_USER_ID_LENGTH));

/** The reactions anyone may send: a small fixed set, so nothing arbitrary floats over a tile. */
export const REACTIONS = ['👍', '👏', '❤️', '😂', '😮', '🎉'] as const;
export const ReactionSchema = v.picklist(REACTIONS);
export type Reaction = v.InferOutput<typeof ReactionSchema>;

/**
 * What a host (a token with `canModerate`) may do to one participant. Nobody can turn on someone else's
 * microphone or camera: `ask-unmute` only asks.
 */
export const ModerationActionSchema = v.picklist([
  'ask-unmute',
  'mute-mic',
  'stop-camera',
  'lower-hand',
  'spotlight',
  'unspotlight',
  'remove',
]);
export type ModerationAction = v.InferOutput<typeof ModerationActionSchema>;

/** What the server passes on to the participant a host acted on; their page decides what to do. */
export const HostRequestSchema = v.picklist(['ask-unmute', 'mute-mic', 'stop-camera']);
export type HostRequest = v.InferOutput<typeof HostRequestSchema>;

// ---- client → server ----

/** A host action on one participant; refused with an `error` frame (`forbidden`) without `canModerate`. */
export const ModerateMessageSchema = v.object({
  v: versionField,
  type: v.literal('moderate'),
  action: ModerationActionSchema,
  participantId: ParticipantIdSchema,
});
/** Raises or lowers the sender's own hand. */
export const HandMessageSchema = v.object({
  v: versionField,
  type: v.literal('hand'),
  raised: v.boolean(),
});
/** A reaction from the sender; rate limited per participant (`rate-limited` error frame beyond it). */
export const ReactMessageSchema = v.object({
  v: versionField,
  type: v.literal('react'),
  emoji: ReactionSchema,
});

// ---- server → client ----

export const RaisedHandSchema = v.object({
  participantId: v.string(),
  /** Server time (ms since the epoch) the hand went up. */
  raisedAt: v.number(),
});
export type RaisedHand = v.InferOutput<typeof RaisedHandSchema>;

/** Every raised hand, in the order they were raised; sent after `hello` and on every change. */
export const HandsMessageSchema = v.object({
  v: versionField,
  type: v.literal('hands'),
  hands: v.array(RaisedHandSchema),
});
/** Whom a host put first on everyone's stage (`null`: nobody); sent after `hello` and on every change. */
export const SpotlightMessageSchema = v.object({
  v: versionField,
  type: v.literal('spotlight'),
  participantId: v.nullable(v.string()),
});
/** Someone reacted. `id` is unique within the room, for the floating emoji's key. */
export const ReactionMessageSchema = v.object({
  v: versionField,
  type: v.literal('reaction'),
  id: v.number(),
  participantId: v.string(),
  emoji: ReactionSchema,
});
/** A host asks the receiver to unmute, or tells their page to turn the microphone or camera off. */
export const HostRequestMessageSchema = v.object({
  v: versionField,
  type: v.literal('host-request'),
  request: HostRequestSchema,
  /** The host who asked. */
  by: v.string(),
});
