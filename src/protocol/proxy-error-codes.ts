/**
 * `errorCode` values of the call server's `{errorCode, errorDescription}` JSON errors that a client acts on.
 * The HTTP status travels alongside; the code says what to do next.
 */
export const ProxyErrorCode = {
  /** 401: missing, forged or expired token. Refresh the token, then retry once. */
  unauthorized: 'unauthorized',
  /** 403: the token does not allow this. Retrying cannot help. */
  forbidden: 'forbidden',
  /**
   * 403: a pull names a track not (or no longer) published in the caller's room. About that track only: in a
   * batch with others, that item alone carries it (the rest is answered); the call goes on.
   */
  notInRoom: 'not_in_room',
  /** 403: a host removed this user from the room; their tokens for it are refused until they expire. */
  removed: 'removed',
  /** 429: slow down. Wait `Retry-After` seconds, then retry, up to a bound. */
  rateLimited: 'rate_limited',
  /** 410: the SFU session is unknown here (expired, or the server restarted). Start a new session. */
  sessionGone: 'session_gone',
  /** 504: the SFU did not answer in time. Retry with backoff. */
  upstreamTimeout: 'upstream_timeout',
  /** 502: the SFU could not be reached or answered nonsense. Retry with backoff. */
  upstreamUnavailable: 'upstream_unavailable',
  /** 413: a request body was over the cap. */
  payloadTooLarge: 'payload_too_large',
  /** 431: request headers were over the cap. */
  headersTooLarge: 'headers_too_large',
} as const;

export type ProxyErrorCode = (typeof ProxyErrorCode)[keyof typeof ProxyErrorCode];
