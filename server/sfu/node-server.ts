// Runs the SFU on a Node HTTP server bound to 127.0.0.1 (shared/docs/reliability.md threat 24).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createSfuHandler } from './http-api.js';
import { LocalSfuState, type SfuStats } from './sfu.js';
import { withTestControls } from './test-controls.js';

const malformedBody = JSON.stringify({
  errorCode: 'decoding_error',
  errorDescription: 'Malformed HTTP request',
});
const MALFORMED_REQUEST_RESPONSE =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n' +
  `Content-Length: ${Buffer.byteLength(malformedBody)}\r\n\r\n${malformedBody}`;

/** The port `npm run sfu` uses when none is given. */
export const DEFAULT_SFU_PORT = 8790;

export interface LocalSfuOptions {
  /** TCP port for the HTTP API; 0 picks a free one. Default 8790. */
  port?: number;
  /** Bind address; loopback unless you really mean otherwise. */
  host?: string;
  appId?: string;
  appSecret?: string;
  /** Restricts each session's UDP port to this range (inclusive). */
  udpPortRange?: [number, number];
  /** How long a `waitForAck` DataChannel subscriber may stay silent; default 30 s (Cloudflare's). */
  dataChannelAckTimeoutMs?: number;
  /** Unexpected (non-API) errors; defaults to console.error. */
  onError?: (error: unknown) => void;
  /** Serves the test-only `/test/…` routes (stats, media blackhole; test-controls.ts). Never for real use. */
  testControls?: boolean;
}

export interface LocalSfu {
  /** e.g. `http://127.0.0.1:8790`; the API lives under `${baseUrl}/v1/apps/${appId}`. */
  baseUrl: string;
  appId: string;
  /** The same API as a web-standard handler, for mounting in-process. */
  fetch: (request: Request) => Promise<Response>;
  stats(): SfuStats;
  /** Ports of the sessions' UDP sockets right now (for tests that poke them). */
  udpPorts(): number[];
  /** Runs one garbage-collection pass now. */
  sweep(now?: number): void;
  /** Calls `listener` with the id of every session that ends (closed or garbage-collected). */
  onSessionClosed(listener: (sessionId: string) => void): () => void;
  /** For tests: drops all UDP of one session, both ways, for `ms` (0 ends it early). */
  blackhole(sessionId: string, ms: number): void;
  /** Ends every session and frees every port and timer. */
  close(): Promise<void>;
}

export async function startLocalSfu(options: LocalSfuOptions = {}): Promise<LocalSfu> {
  const appId = options.appId ?? 'local';
  const appSecret = options.appSecret ?? 'local-secret';
  const onError = options.onError ?? ((error: unknown) => console.error('[local-sfu]', error));
  const state = new LocalSfuState({ portRange: options.udpPortRange });
  if (options.dataChannelAckTimeoutMs !== undefined)
    state.dataChannelAckTimeoutMs = options.dataChannelAckTimeoutMs;
  const api = createSfuHandler(state, { appId, appSecret, onError });
  const fetch = options.testControls ? withTestControls(api, state, appSecret) : api;
  const server: Server = createServer(getRequestListener(fetch, { overrideGlobalObjects: false }));
  // Requests Node's parser rejects (e.g. a non-numeric Content-Length) still get a JSON error.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end(MALFORMED_REQUEST_RESPONSE);
    else socket.destroy();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_SFU_PORT, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    appId,
    fetch,
    stats: () => state.stats(),
    udpPorts: () => state.udpPorts(),
    sweep: (now) => state.sweep(now),
    onSessionClosed: (listener) => state.onSessionClosed(listener),
    blackhole: (sessionId, ms) => state.blackhole(sessionId, ms),
    close: async () => {
      await state.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
