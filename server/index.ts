// `call-elements/server`: what a host backend needs to issue room tokens for the widget.
export {
  CLOCK_TOLERANCE_SECONDS,
  CallTokenError,
  createCallToken,
  verifyCallToken,
  type CallTokenClaims,
  type CallTokenErrorCode,
  type CreateCallTokenOptions,
  type VerifyCallTokenOptions,
} from './core/call-token.js';
