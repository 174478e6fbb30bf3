// Breakout rooms in the presence protocol: what a host or participant asks for (`breakout` frames), and what
// the server says back (the plan as everyone sees it, a move, and notices). One room object holds the main
// room and its breakouts, so the room token covers them all.
import * as v from 'valibot';
import { MAX_NAME_LENGTH, MAX_USER_ID_LENGTH } from './limits.js';
import { PROTOCOL_VERSION } from './version.js';

/** The id of the main room among breakout room ids. */
export const MAIN_ROOM_ID = 'main';
/** At most this many breakout rooms at once. */
export const MAX_BREAKOUT_ROOMS = 50;
export const MAX_BREAKOUT_NAME_LENGTH = 64;
export const MAX_BREAKOUT_MESSAGE_LENGTH = 500;
/** The longest countdown before opening or closing, in seconds. */
export const MAX_BREAKOUT_COUNTDOWN_SECONDS = 300;

const versionField = v.literal(PROTOCOL_VERSION);
const RoomIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(32), v.regex(/^[a-z0-9-]+$/));
const RoomNameSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(MAX_BREAKOUT_NAME_LENGTH));
const CountdownSchema = v.optional(
  v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_BREAKOUT_COUNTDOWN_SECONDS)),
);

/**
 * What a `breakout` frame asks. Host-only (needs `canModerate`): configure, rename, assign, shuffle, open,
 * close, broadcast. Anyone: join-now (go to the assigned room before the countdown ends), help (notifies the
 * hosts), return (back to the main room, when the host allows it or the rooms are closing).
 */
export const BreakoutRequestSchema = v.variant('action', [
  /** Replaces the rooms (only while closed): N names; assignments to rooms that are gone are dropped. */
  v.object({
    action: v.literal('configure'),
    rooms: v.pipe(v.array(RoomNameSchema), v.minLength(1), v.maxLength(MAX_BREAKOUT_ROOMS)),
    allowReturn: v.optional(v.boolean()),
  }),
  v.object({ action: v.literal('rename'), roomId: RoomIdSchema, name: RoomNameSchema }),
  /** Plans a participant into a room (`main` unassigns); while open, moves them there at once. */
  v.object({
    action: v.literal('assign'),
    participantId: v.pipe(v.string(), v.maxLength(MAX_USER_ID_LENGTH)),
    roomId: RoomIdSchema,
  }),
  /** Spreads every participant without `canModerate` evenly over the rooms, in random order. */
  v.object({ action: v.literal('shuffle') }),
  v.object({ action: v.literal('open'), countdownSeconds: CountdownSchema }),
  /** Everyone returns to the main room when the countdown ends (default 10 s). */
  v.object({ action: v.literal('close'), countdownSeconds: CountdownSchema }),
  v.object({
    action: v.literal('broadcast'),
    text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(MAX_BREAKOUT_MESSAGE_LENGTH)),
  }),
  v.object({ action: v.literal('join-now') }),
  v.object({ action: v.literal('help') }),
  v.object({ action: v.literal('return') }),
]);
export type BreakoutRequest = v.InferOutput<typeof BreakoutRequestSchema>;
export type BreakoutAction = BreakoutRequest['action'];

export const BreakoutMessageSchema = v.object({
  v: versionField,
  type: v.literal('breakout'),
  request: BreakoutRequestSchema,
});

// ---- server → client ----

/** `closed`: planned or not yet used; `opening`/`closing`: a countdown runs; `open`: people are in rooms. */
export const BreakoutPhaseSchema = v.picklist(['closed', 'opening', 'open', 'closing']);
export type BreakoutPhase = v.InferOutput<typeof BreakoutPhaseSchema>;

export const BreakoutRoomSchema = v.object({ id: v.string(), name: v.string() });
export type BreakoutRoom = v.InferOutput<typeof BreakoutRoomSchema>;

/** One participant of the call, wherever they are: the host panel lists everyone. */
export const BreakoutPersonSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(MAX_USER_ID_LENGTH)),
  name: v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH)),
  canModerate: v.boolean(),
  /** The planned room (`main` when unassigned). */
  assigned: v.string(),
  /** The room they are in now. */
  current: v.string(),
});
export type BreakoutPerson = v.InferOutput<typeof BreakoutPersonSchema>;

/** The whole plan, sent to everyone whenever it changes, and after `hello` once rooms exist. */
export const BreakoutsMessageSchema = v.object({
  v: versionField,
  type: v.literal('breakouts'),
  phase: BreakoutPhaseSchema,
  rooms: v.array(BreakoutRoomSchema),
  people: v.array(BreakoutPersonSchema),
  /** Whether participants may go back to the main room on their own while rooms are open. */
  allowReturn: v.boolean(),
  /** Time left of the running countdown (opening or closing) when the frame was sent, in ms. */
  countdownMs: v.optional(v.number()),
});

/** A host's message to all rooms, or (to hosts) a participant asking for help. */
export const BreakoutNoticeMessageSchema = v.object({
  v: versionField,
  type: v.literal('breakout-notice'),
  kind: v.picklist(['message', 'help']),
  from: v.object({ id: v.string(), name: v.string() }),
  /** The sender's room. */
  roomId: v.string(),
  text: v.optional(v.string()),
});
