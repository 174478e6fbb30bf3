// A presence client for Node tests over a real WebSocket: records every server message and the close.
import WebSocket from 'ws';
import { decodeServerMessage, encodeMessage } from '../../src/protocol/codec.js';
import type {
  ClientMessage,
  ServerMessage,
  ServerMessageOf,
  ServerMessageType,
} from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';

/** The heartbeat exactly as the widget sends it. */
export const HEARTBEAT_PING = encodeMessage({ v: PROTOCOL_VERSION, type: 'ping' });

/**
 * After the closing handshake, how long the client waits for the server to end the TCP connection before it
 * ends it itself: 2 s, as Chromium does (`ws` would wait 30 s). workerd keeps the connection of a socket that
 * never sent a frame until its object idles (~10 s; see server/workers/room.ts), so `closed` resolves when a
 * browser's `close` event would.
 */
export const CLIENT_CLOSE_TIMEOUT_MS = 2000;

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

export class PresenceTestClient {
  readonly messages: ServerMessage[] = [];
  /** Raw frames that did not decode as server messages (there should be none). */
  readonly undecodable: string[] = [];
  readonly closed: Promise<CloseInfo>;
  #waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = String(data);
      const decoded = decodeServerMessage(text);
      if (decoded.ok) this.messages.push(decoded.message);
      else this.undecodable.push(text);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        for (const wake of this.#waiters.splice(0)) wake();
      }),
    );
  }

  /** Opens `/rooms/<room>` with an Origin header; rejects if the handshake is refused. */
  static open(serverUrl: string, room: string, origin: string | undefined): Promise<PresenceTestClient> {
    const url = `${serverUrl.replace(/^http/, 'ws')}/rooms/${encodeURIComponent(room)}`;
    // `closeTimeout` is in ws 8.23 but not yet in @types/ws 8.18.
    const options: WebSocket.ClientOptions & { closeTimeout: number } = {
      ...(origin && { origin }),
      closeTimeout: CLIENT_CLOSE_TIMEOUT_MS,
    };
    const ws = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new PresenceTestClient(ws)));
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  /** Opens the socket and sends `join`; resolves once `hello` arrives. */
  static async join(
    serverUrl: string,
    room: string,
    origin: string,
    token: string,
  ): Promise<PresenceTestClient> {
    const client = await PresenceTestClient.open(serverUrl, room, origin);
    client.send({ v: PROTOCOL_VERSION, type: 'join', token });
    await client.next('hello');
    return client;
  }

  send(message: ClientMessage | string | Buffer): void {
    this.ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : encodeMessage(message));
  }

  /** Resolves with the first message of `type` not yet consumed by `next` (in arrival order). */
  async next<T extends ServerMessageType>(type: T, timeoutMs = 5000): Promise<ServerMessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type);
      if (index >= 0) return this.messages.splice(index, 1)[0] as ServerMessageOf<T>;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`closed while waiting for ${type}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * A ping/pong round trip through the server's message handling: every frame sent before has been handled,
   * and everything the server sent before the pong has arrived. The ping is spelled unlike the widget's
   * heartbeat (HEARTBEAT_PING), which a Durable Object answers in the runtime without handling earlier frames.
   */
  async roundTrip(): Promise<void> {
    this.send(`{"type":"ping","v":${PROTOCOL_VERSION}}`);
    await this.next('pong');
  }

  close(): Promise<CloseInfo> {
    this.ws.close(1000);
    return this.closed;
  }
}
