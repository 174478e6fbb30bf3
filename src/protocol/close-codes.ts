/**
 * WebSocket close codes used by the presence server. 1xxx are the standard meanings; 4xxx are ours.
 * A client should reconnect after 1006/1011/4408/4429, reconnect with a fresh token after 4440, and must not
 * reconnect after 4400/4401/4403/4409/4410 without user action or a fresh token.
 */
export const PresenceCloseCode = {
  /** The client or server ended the connection normally. */
  normal: 1000,
  /** Too many frames per second. */
  rateLimited: 1008,
  /** A frame exceeded `MAX_FRAME_BYTES`. */
  frameTooBig: 1009,
  /** The server failed unexpectedly; reconnecting is fine. */
  internalError: 1011,
  /** The first frame was not a valid `join`, or used another protocol version. */
  protocolError: 4400,
  /** Missing, forged or expired token, or no `join` frame in time. Get a new token before retrying. */
  unauthorized: 4401,
  /** The token is valid but not for this room. */
  forbidden: 4403,
  /** No frame or pong for longer than the heartbeat timeout; the participant was removed. */
  heartbeatTimeout: 4408,
  /** The same user opened a newer connection (another tab); the newest wins. */
  replaced: 4409,
  /** A host removed this participant; their token cannot rejoin the room until it expires. */
  removed: 4410,
  /** Frames were queued faster than the client read them; reconnect, and the latest state is sent again. */
  slowReader: 4429,
  /** The token expired while the socket was open; reconnect with a fresh token. */
  tokenExpired: 4440,
} as const;

export type PresenceCloseCode = (typeof PresenceCloseCode)[keyof typeof PresenceCloseCode];
