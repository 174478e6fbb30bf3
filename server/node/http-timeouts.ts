// Deadlines for slow HTTP clients on Node's server: a request's headers, the whole request (body included),
// and idle keep-alive connections. Node checks the first two only every `connectionsCheckingInterval`
// (30 s by default), so that interval is short here too.
import type { ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';

export interface HttpTimeouts {
  /** Time to receive a request's headers (a WebSocket upgrade's included). Default 5 s. */
  readonly headersMs?: number;
  /** Time to receive a whole request, body included. Default 10 s. */
  readonly requestMs?: number;
  /** An idle keep-alive connection is closed after this. Default 5 s. */
  readonly idleMs?: number;
}

export function httpServerOptions(timeouts: HttpTimeouts = {}): ServerOptions {
  const headersMs = timeouts.headersMs ?? 5_000;
  const requestMs = Math.max(timeouts.requestMs ?? 10_000, headersMs);
  return {
    headersTimeout: headersMs,
    requestTimeout: requestMs,
    keepAliveTimeout: timeouts.idleMs ?? 5_000,
    connectionsCheckingInterval: Math.min(1_000, headersMs),
  };
}

const jsonReply = (status: string, errorCode: string, errorDescription: string) => {
  const body = JSON.stringify({ errorCode, errorDescription });
  return `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
};

/**
 * Node's `clientError` handler with JSON bodies: a request that ran out of time gets 408, one Node could not
 * parse gets 400 (431 for oversized headers), and the socket is closed either way.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const reply =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? jsonReply('408 Request Timeout', 'request_timeout', 'the request took too long to arrive')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? jsonReply(
            '431 Request Header Fields Too Large',
            'headers_too_large',
            'request headers are too large',
          )
        : jsonReply('400 Bad Request', 'invalid_request', 'the request could not be parsed');
  socket.end(reply);
}
