import type { CallErrorCode, CallErrorDetail } from '../events/call-error.js';

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
