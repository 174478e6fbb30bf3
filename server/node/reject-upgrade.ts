import type { Duplex } from 'node:stream';

/** Answers a refused WebSocket upgrade with a plain HTTP error (JSON body) and drops the socket. */
export function rejectUpgrade(
  socket: Duplex,
  status: 403 | 404,
  errorCode: string,
  errorDescription: string,
): void {
  const body = JSON.stringify({ errorCode, errorDescription });
  const reason = status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
