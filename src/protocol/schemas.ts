// The presence protocol: valibot schemas for every frame, and the TypeScript types inferred from them.
// Server-owned fields (participant id, name, rights, joinedAt) appear only in server messages; the client
// can never set them.
import * as v from 'valibot';
import {
  BreakoutMessageSchema,
  BreakoutNoticeMessageSchema,
  BreakoutsMessageSchema,
} from './breakout-schemas.js';
import { PresenceErrorCode } from './error-codes.js';
import {
  HandMessageSchema,
  HandsMessageSchema,
  HostRequestMessageSchema,
  ModerateMessageSchema,
  RaisedHandSchema,
  ReactMessageSchema,
  ReactionMessageSchema,
  SpotlightMessageSchema,
} from './moderation.js';
import {
  MAX_AUDIENCE_PAGE,
  MAX_NAME_LENGTH,
  MAX_SESSION_ID_LENGTH,
  MAX_TOKEN_LENGTH,
  MAX_TRACK_NAME_LENGTH,
  MAX_USER_ID_LENGTH,
} from './limits.js';
import { PROTOCOL_VERSION } from './version.js';

const versionField = v.literal(PROTOCOL_VERSION);

/** An SFU session id as Cloudflare and the local SFU issue them. */
export const SessionIdSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(MAX_SESSION_ID_LENGTH),
  v.regex(/^[A-Za-z0-9_-]+$/),
);
/** A partytracks track name (a UUID in practice). */
export const TrackNameSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(MAX_TRACK_NAME_LENGTH),
  v.regex(/^[A-Za-z0-9_.:~-]+$/),
);
/** `data`: a DataChannel announced like a track (the chat channel); `trackName` is its `dataChannelName`. */
export const TrackKindSchema = v.picklist(['audio', 'video', 'data']);
export const TrackSourceSchema = v.picklist(['camera', 'microphone', 'screen-video', 'screen-audio', 'chat']);

export type TrackKind = v.InferOutput<typeof TrackKindSchema>;
export type TrackSource = v.InferOutput<typeof TrackSourceSchema>;

/** The kind each source must have, so a "camera" publication can't carry audio. */
export const kindOfSource: Readonly<Record<TrackSource, TrackKind>> = {
  camera: 'video',
  microphone: 'audio',
  'screen-video': 'video',
  'screen-audio': 'audio',
  chat: 'data',
};

/** What a participant tells the room about one pushed track. */
export const TrackInfoSchema = v.pipe(
  v.object({
    sessionId: SessionIdSchema,
    trackName: TrackNameSchema,
    kind: TrackKindSchema,
    source: TrackSourceSchema,
  }),
  v.check((track) => kindOfSource[track.source] === track.kind, 'kind does not match source'),
);
export type TrackInfo = v.InferOutput<typeof TrackInfoSchema>;

/** A track as the server announces it: the client's track info plus who published it. */
export const PublicationSchema = v.object({
  participantId: v.string(),
  sessionId: v.string(),
  trackName: v.string(),
  kind: TrackKindSchema,
  source: TrackSourceSchema,
});
export type Publication = v.InferOutput<typeof PublicationSchema>;

export const ParticipantStateSchema = v.object({
  micOn: v.boolean(),
  cameraOn: v.boolean(),
  speaking: v.boolean(),
  handRaised: v.boolean(),
});
export type ParticipantState = v.InferOutput<typeof ParticipantStateSchema>;

/** What kind of member the server vouches for, beyond a person with a browser. */
export const ParticipantBadgeSchema = v.picklist(['streaming']);
export type ParticipantBadge = v.InferOutput<typeof ParticipantBadgeSchema>;

/** Identity and rights come from the room token; `state` from the participant's own updates. */
export const ParticipantSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(MAX_USER_ID_LENGTH)),
  name: v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH)),
  joinedAt: v.number(),
  canPublish: v.boolean(),
  canModerate: v.boolean(),
  state: ParticipantStateSchema,
  /** Set by the server for a participant it adds itself: `streaming` is a WHIP ingest (e.g. OBS). */
  badge: v.optional(ParticipantBadgeSchema),
});
export type Participant = v.InferOutput<typeof ParticipantSchema>;

// ---- client → server ----

/** The first frame: the room token travels here, not in the URL (URLs end up in logs). */
export const JoinMessageSchema = v.object({
  v: versionField,
  type: v.literal('join'),
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TOKEN_LENGTH)),
});
/** Announce (or re-announce under a new session) the track for one source; replaces the previous one. */
export const PublishMessageSchema = v.object({
  v: versionField,
  type: v.literal('publish'),
  track: TrackInfoSchema,
});
export const UnpublishMessageSchema = v.object({
  v: versionField,
  type: v.literal('unpublish'),
  source: TrackSourceSchema,
});
/** A patch of the sender's own state; other participants' state can't be addressed. */
export const UpdateStateMessageSchema = v.object({
  v: versionField,
  type: v.literal('update-state'),
  state: v.partial(ParticipantStateSchema),
});
export const PingMessageSchema = v.object({
  v: versionField,
  type: v.literal('ping'),
});
/**
 * A fresh room token for the same user and room, on an open socket. The server closes a socket with 4440
 * (`tokenExpired`) at its token's `exp` plus the clock tolerance (60 s); a refresh moves that deadline to the
 * new token's. Answered with `refreshed`, or an `error` frame (`invalid-token`, or `forbidden` for a token of
 * another user or room) that leaves the old deadline in place. Rights and name stay those of the join.
 */
export const RefreshMessageSchema = v.object({
  v: versionField,
  type: v.literal('refresh'),
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TOKEN_LENGTH)),
});

/**
 * A moderator asks for the viewers (members listed only as the `audience` count), one page at a time, in join
 * order: `after` is the previous page's `next`. Answered with `audience-page`, or `error` (`forbidden`) for a
 * token without `canModerate`.
 */
export const ListAudienceMessageSchema = v.object({
  v: versionField,
  type: v.literal('list-audience'),
  after: v.optional(v.pipe(v.string(), v.maxLength(MAX_USER_ID_LENGTH + 32))),
  /** Default 100, at most MAX_AUDIENCE_PAGE. */
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_AUDIENCE_PAGE))),
});

export const ClientMessageSchema = v.variant('type', [
  JoinMessageSchema,
  PublishMessageSchema,
  UnpublishMessageSchema,
  UpdateStateMessageSchema,
  PingMessageSchema,
  RefreshMessageSchema,
  // host controls, hands and reactions (moderation.ts)
  ModerateMessageSchema,
  HandMessageSchema,
  ReactMessageSchema,
  BreakoutMessageSchema,
  ListAudienceMessageSchema,
]);
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];

// ---- server → client ----

export const HelloMessageSchema = v.object({
  v: versionField,
  type: v.literal('hello'),
  /** The receiving participant, as everyone else sees it. */
  self: ParticipantSchema,
  /**
   * Everyone in the room who is listed by name: publishers, moderators and chatters (`self` among them when
   * self is one). Viewers (tokens without `canPublish`, `canModerate` or `canChat`) are only counted, in
   * `audience`, a viewer `self` too.
   */
  participants: v.array(ParticipantSchema),
  publications: v.array(PublicationSchema),
  /** How many viewers are here beyond `participants`. Absent means 0. */
  audience: v.optional(v.number()),
  /** Send a `ping` at least this often while idle. */
  heartbeatIntervalMs: v.number(),
  /** The server removes a participant it has not heard from for this long. */
  heartbeatTimeoutMs: v.number(),
  /** Raised hands, first raised first (absent: none); later changes come as `hands` frames. */
  hands: v.optional(v.array(RaisedHandSchema)),
  /** Whom a host spotlighted (absent: nobody); later changes come as `spotlight` frames. */
  spotlight: v.optional(v.string()),
});
export const ParticipantJoinedMessageSchema = v.object({
  v: versionField,
  type: v.literal('participant-joined'),
  participant: ParticipantSchema,
});
/** `removed`: a host removed them (their socket closed with 4410). `moved`: went to another breakout room. */
export const LeaveReasonSchema = v.picklist(['left', 'timeout', 'replaced', 'removed', 'moved']);
export type LeaveReason = v.InferOutput<typeof LeaveReasonSchema>;
export const ParticipantLeftMessageSchema = v.object({
  v: versionField,
  type: v.literal('participant-left'),
  participantId: v.string(),
  reason: LeaveReasonSchema,
});
/** Also sent when a publication moves to a new session (partytracks reconnected): re-pull it. */
export const TrackPublishedMessageSchema = v.object({
  v: versionField,
  type: v.literal('track-published'),
  publication: PublicationSchema,
});
export const TrackUnpublishedMessageSchema = v.object({
  v: versionField,
  type: v.literal('track-unpublished'),
  participantId: v.string(),
  source: TrackSourceSchema,
  trackName: v.string(),
});
export const ParticipantStateMessageSchema = v.object({
  v: versionField,
  type: v.literal('participant-state'),
  participantId: v.string(),
  state: ParticipantStateSchema,
});
export const PongMessageSchema = v.object({
  v: versionField,
  type: v.literal('pong'),
});
/** The number of viewers changed: sent to everyone, at most once a second. */
export const AudienceMessageSchema = v.object({
  v: versionField,
  type: v.literal('audience'),
  count: v.number(),
});
/** The answer to `list-audience`: up to `limit` viewers in join order; `next` is absent on the last page. */
export const AudiencePageMessageSchema = v.object({
  v: versionField,
  type: v.literal('audience-page'),
  participants: v.array(ParticipantSchema),
  /** All viewers right now. */
  total: v.number(),
  next: v.optional(v.string()),
});
/** The answer to `refresh`: the socket may now stay open until `expiresAt` (ms since the epoch) + 60 s. */
export const RefreshedMessageSchema = v.object({
  v: versionField,
  type: v.literal('refreshed'),
  expiresAt: v.number(),
});
export const ErrorMessageSchema = v.object({
  v: versionField,
  type: v.literal('error'),
  code: v.picklist(Object.values(PresenceErrorCode)),
  message: v.string(),
});

/**
 * The receiver moved to another breakout room (or back to the main room): the roster and publications there,
 * replacing what it had, as `hello` does. The call's SFU session and pushes stay; only pulls change.
 */
export const BreakoutMovedMessageSchema = v.object({
  v: versionField,
  type: v.literal('breakout-moved'),
  roomId: v.string(),
  participants: v.array(ParticipantSchema),
  publications: v.array(PublicationSchema),
});

export const ServerMessageSchema = v.variant('type', [
  HelloMessageSchema,
  ParticipantJoinedMessageSchema,
  ParticipantLeftMessageSchema,
  TrackPublishedMessageSchema,
  TrackUnpublishedMessageSchema,
  ParticipantStateMessageSchema,
  PongMessageSchema,
  RefreshedMessageSchema,
  ErrorMessageSchema,
  // host controls, hands and reactions (moderation.ts)
  HandsMessageSchema,
  SpotlightMessageSchema,
  ReactionMessageSchema,
  HostRequestMessageSchema,
  BreakoutsMessageSchema,
  BreakoutMovedMessageSchema,
  BreakoutNoticeMessageSchema,
  AudienceMessageSchema,
  AudiencePageMessageSchema,
]);
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
/** A server message of one type, e.g. `ServerMessageOf<'hello'>`. */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
/** A client message of one type, e.g. `ClientMessageOf<'publish'>`. */
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

// ---- HTTP: the room before joining ----

/**
 * `GET /rooms/:room` with `Authorization: Bearer <room token>` (no WebSocket upgrade): who is in the room, for a
 * pre-join screen. Reading it does not join.
 */
export const RoomLobbySchema = v.object({
  /** Who is listed by name (as in `hello`); viewers are only counted in `audience`. */
  participants: v.array(
    v.object({
      id: v.pipe(v.string(), v.maxLength(MAX_USER_ID_LENGTH)),
      name: v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH)),
    }),
  ),
  audience: v.optional(v.number()),
});
export type RoomLobby = v.InferOutput<typeof RoomLobbySchema>;
