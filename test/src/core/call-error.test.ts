import { expect } from '@open-wc/testing';
import {
  CallError,
  errorDetail,
  mediaErrorCode,
  presenceError,
  proxyError,
  tokenEndpointErrorCode,
} from '../../../src/core/call-error.js';
import { PresenceCloseCode } from '../../../src/protocol/close-codes.js';

describe('errorDetail', () => {
  it('keeps the detail of a CallError', () => {
    const error = new CallError('forbidden', 'Not for you.', false, { cause: 'why' });
    expect(errorDetail(error)).to.deep.equal({
      code: 'forbidden',
      message: 'Not for you.',
      recoverable: false,
      cause: 'why',
    });
  });

  it('turns any other error into a recoverable connection failure that keeps the cause', () => {
    const error = new TypeError('Failed to fetch');
    expect(errorDetail(error)).to.deep.equal({
      code: 'connection-failed',
      message: 'Failed to fetch',
      recoverable: true,
      cause: error,
    });
  });

  it('turns a thrown non-error into a connection failure too', () => {
    expect(errorDetail('boom')).to.deep.equal({
      code: 'connection-failed',
      message: 'boom',
      recoverable: true,
      cause: 'boom',
    });
    const detail = errorDetail(undefined);
    expect(detail.code).to.equal('connection-failed');
    expect(detail.recoverable).to.equal(true);
    expect(detail.message).to.equal('undefined');
  });
});

describe('mediaErrorCode', () => {
  for (const [name, code] of [
    ['NotAllowedError', 'permission-denied'],
    ['NotFoundError', 'no-device'],
    ['NotReadableError', 'device-in-use'],
  ] as const) {
    it(`maps a ${name} to ${code}`, () => {
      expect(mediaErrorCode(new DOMException('nope', name))).to.equal(code);
    });
  }
});

describe('presenceError', () => {
  for (const [closeCode, code] of [
    [PresenceCloseCode.unauthorized, 'token-failed'],
    [PresenceCloseCode.forbidden, 'forbidden'],
    [PresenceCloseCode.replaced, 'connection-failed'],
    [PresenceCloseCode.protocolError, 'connection-failed'],
    [1006, 'connection-failed'],
  ] as const) {
    it(`turns close code ${closeCode} into a final ${code}`, () => {
      const error = presenceError(closeCode);
      expect(error).to.be.instanceOf(CallError);
      expect(error.code).to.equal(code);
      expect(error.recoverable).to.equal(false);
      expect(error.cause).to.equal(closeCode);
      expect(error.message).to.be.a('string').and.not.equal('');
    });
  }

  it('says why for a replaced connection, and something else for other codes', () => {
    expect(presenceError(PresenceCloseCode.replaced).message).to.match(/another tab/);
    expect(presenceError(4999).message).to.not.match(/another tab/);
    expect(presenceError(PresenceCloseCode.unauthorized).message).to.not.equal(
      presenceError(PresenceCloseCode.forbidden).message,
    );
  });
});

describe('proxyError', () => {
  for (const [errorCode, code, recoverable] of [
    ['unauthorized', 'token-failed', false],
    ['forbidden', 'forbidden', false],
    ['rate_limited', 'rate-limited', true],
    ['upstream_timeout', 'connection-failed', true],
    ['network_error', 'connection-failed', true],
  ] as const) {
    it(`turns ${errorCode} into ${recoverable ? 'a recoverable' : 'a final'} ${code} naming it`, () => {
      const error = proxyError(errorCode);
      expect(error).to.be.instanceOf(CallError);
      expect(error.code).to.equal(code);
      expect(error.recoverable).to.equal(recoverable);
      expect(error.message).to.contain(errorCode);
      expect(error.cause).to.equal(errorCode);
    });
  }
});

describe('tokenEndpointErrorCode', () => {
  for (const [status, code] of [
    [401, 'token-failed'],
    [403, 'forbidden'],
    [429, 'rate-limited'],
    [500, 'token-failed'],
  ] as const) {
    it(`maps HTTP ${status} to ${code}`, () => {
      expect(tokenEndpointErrorCode(status)).to.equal(code);
    });
  }
});
