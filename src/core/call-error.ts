// The call's error vocabulary, for every layer: the core reports `CallError`s, the elements turn their detail
// into `call-error` events. Also the mappings from what went wrong (a media error, a presence close code, a
// proxy refusal) to a code and a sentence.
import { PresenceCloseCode } from '../protocol/close-codes.js';
import { ProxyErrorCode } from '../protocol/proxy-error-codes.js';
import { statusForMediaError } from './media-devices.js';

/** Why a call-elements element could not do what it was asked. */
export type CallErrorCode =
  | 'permission-denied'
  | 'no-device'
  | 'device-in-use'
  | 'token-failed'
  | 'forbidden'
  | 'rate-limited'
  | 'connection-failed'
  | 'unsupported';

export interface CallErrorDetail {
  /** What went wrong, for code to act on. */
  readonly code: CallErrorCode;
  /** A sentence for people, in English. */
  readonly message: string;
  /** Whether retrying (e.g. after the user changes a setting) can succeed. */
  readonly recoverable: boolean;
  /** The original error: a DOMException name, a server `errorCode`, … */
  readonly cause?: unknown;
}

/** An error that carries its `call-error` code, so every layer reports problems the same way. */
export class CallError extends Error {
  constructor(
    readonly code: CallErrorCode,
    message: string,
    readonly recoverable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CallError';
  }

  get detail(): CallErrorDetail {
    return { code: this.code, message: this.message, recoverable: this.recoverable, cause: this.cause };
  }
}

/** Any thrown value as a detail: a `CallError` keeps its own, anything else is a recoverable connection failure. */
export function errorDetail(error: unknown): CallErrorDetail {
  if (error instanceof CallError) return error.detail;
  return {
    code: 'connection-failed',
    message: String((error as Error | undefined)?.message ?? error),
    recoverable: true,
    cause: error,
  };
}

/** The code for a failed `getUserMedia`/`getDisplayMedia`. */
export function mediaErrorCode(error: unknown): CallErrorCode {
  const status = statusForMediaError(error);
  return status === 'ready' || status === 'needs-permission' ? 'permission-denied' : status;
}

/** Why the presence server closed the socket for good. */
export function presenceError(code: number): CallError {
  switch (code) {
    case PresenceCloseCode.unauthorized:
      return new CallError('token-failed', 'The room token was refused.', false, { cause: code });
    case PresenceCloseCode.forbidden:
      return new CallError('forbidden', 'This token does not allow joining this room.', false, {
        cause: code,
      });
    case PresenceCloseCode.removed:
      return new CallError('forbidden', 'You were removed from the call.', false, { cause: code });
    case PresenceCloseCode.tokenExpired:
      return new CallError(
        'token-failed',
        'The room token expired and no fresh one could be fetched.',
        false,
        {
          cause: code,
        },
      );
    case PresenceCloseCode.replaced:
      return new CallError('connection-failed', 'You joined this room from another tab or window.', false, {
        cause: code,
      });
    default:
      return new CallError('connection-failed', 'The room connection was closed.', false, { cause: code });
  }
}

/**
 * The call server refused the media connection (`forbidden` after a fresh token) or kept failing until the
 * outage limit: the code of its last answer, in words. A refusal is final; an outage may pass, so "Try again"
 * can work.
 */
export function proxyError(errorCode: string): CallError {
  switch (errorCode) {
    case ProxyErrorCode.forbidden:
      return new CallError('forbidden', 'The call server refused the media connection (forbidden).', false, {
        cause: errorCode,
      });
    case ProxyErrorCode.unauthorized:
      return new CallError(
        'token-failed',
        'The call server kept refusing the room token (unauthorized).',
        false,
        {
          cause: errorCode,
        },
      );
    case ProxyErrorCode.rateLimited:
      return new CallError('rate-limited', 'The call server kept asking to slow down (rate_limited).', true, {
        cause: errorCode,
      });
    default:
      return new CallError(
        'connection-failed',
        `The call server stopped answering media requests (${errorCode}).`,
        true,
        { cause: errorCode },
      );
  }
}

/** An HTTP status of the token endpoint: 403 forbidden, 429 slow down, anything else no token. */
export function tokenEndpointErrorCode(status: number): CallErrorCode {
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate-limited';
  return 'token-failed';
}
