// Errors in Cloudflare Realtime's shape: every failure is `{errorCode, errorDescription}` JSON with a status.

export type ErrorCode =
  | 'unauthorized'
  | 'not_found'
  | 'decoding_error'
  | 'invalid_params'
  | 'payload_too_large'
  | 'session_error'
  | 'invalid_session_description'
  | 'method_not_allowed'
  | 'internal_error';

/** A request-level failure; the HTTP layer turns it into a JSON response. */
export class SfuError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: ErrorCode,
    readonly errorDescription: string,
  ) {
    super(`${errorCode}: ${errorDescription}`);
  }

  toJSON(): { errorCode: ErrorCode; errorDescription: string } {
    return { errorCode: this.errorCode, errorDescription: this.errorDescription };
  }
}

/** Per-item error codes, returned inside `tracks[]` with HTTP 200. */
export type ItemErrorCode =
  | 'not_found_track_error'
  | 'empty_track_error'
  | 'close_track_error'
  | 'update_track_error'
  | 'invalid_params';

export interface ItemError {
  errorCode: ItemErrorCode;
  errorDescription: string;
}

export const itemErrors = {
  notFound: (): ItemError => ({
    errorCode: 'not_found_track_error',
    errorDescription:
      'Track not found on remote peer. Make sure the publisher peer is connected and sending packets for this track',
  }),
  empty: (): ItemError => ({
    errorCode: 'empty_track_error',
    errorDescription:
      'No track data from remote peer. Make sure the publisher peer is connected and sending packets for this track',
  }),
  closeMissing: (): ItemError => ({
    errorCode: 'close_track_error',
    errorDescription: "Track doesn't exist or was already closed",
  }),
  updateNotSimulcast: (): ItemError => ({
    errorCode: 'update_track_error',
    errorDescription: 'The track is not configured for the requested simulcast update',
  }),
  updateMissing: (): ItemError => ({
    errorCode: 'update_track_error',
    errorDescription: 'No receiving track with this mid in the session',
  }),
  invalid: (why: string): ItemError => ({ errorCode: 'invalid_params', errorDescription: why }),
};

export const errors = {
  decoding: (why: string) => new SfuError(400, 'decoding_error', why),
  invalidParams: (why: string) => new SfuError(406, 'invalid_params', why),
  invalidSdp: (why: string) => new SfuError(406, 'invalid_session_description', why),
  sessionGone: (id: string) =>
    new SfuError(410, 'session_error', `Session ${id} does not exist, expired or was closed`),
  tooLarge: (limit: number) =>
    new SfuError(413, 'payload_too_large', `Request body is larger than ${limit} bytes`),
  unauthorized: () => new SfuError(401, 'unauthorized', 'Missing or wrong bearer app secret'),
  appNotFound: () => new SfuError(404, 'not_found', 'App not found'),
  routeNotFound: () => new SfuError(404, 'not_found', 'No such endpoint'),
  methodNotAllowed: () => new SfuError(405, 'method_not_allowed', 'Method not allowed on this endpoint'),
  internal: () => new SfuError(500, 'internal_error', 'Backend error'),
};
