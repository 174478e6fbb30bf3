import type { Duplex } from 'node:stream';

const REASONS = { 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' } as const;

/** Answers a refused WebSocket upgrade with a plain HTTP error (JSON body) and drops the socket. */
export function rejectUpgrade(
  socket: Duplex,
  status: keyof typeof REASONS,
  errorCode: string,
  errorDescription: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ errorCode, errorDescription });
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}
