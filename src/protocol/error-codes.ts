/** `code` values of `error` frames. An error frame never closes the socket and never carries a stack. */
export const PresenceErrorCode = {
  /** The frame was not JSON, not a known message, or had fields of the wrong type or size. */
  badRequest: 'bad-request',
  /** The frame used another protocol version. */
  unsupportedVersion: 'unsupported-version',
  /** A message other than `join` arrived before the connection joined, or `join` arrived twice. */
  notJoined: 'not-joined',
  /** The token does not grant this action (e.g. publishing without `canPublish`). */
  forbidden: 'forbidden',
  /** A `refresh` frame's token was forged, expired or malformed. */
  invalidToken: 'invalid-token',
  /** The track's `sessionId` was not created by this participant in this room. */
  notSessionOwner: 'not-session-owner',
  /** Too many frames of one kind (reactions) for a while; the frame was dropped, the socket stays open. */
  rateLimited: 'rate-limited',
  /** A host action named a participant who is not in the room. */
  notInRoom: 'not-in-room',
} as const;

export type PresenceErrorCode = (typeof PresenceErrorCode)[keyof typeof PresenceErrorCode];
