// Room presence over WebSocket (`/rooms/:room`) on Node's `ws`: the socket plumbing around the core
// RoomPresence state machine. Origin allowlist at the handshake; the token arrives in the first frame.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { PresenceCloseCode } from '../../src/protocol/close-codes.js';
import { decodeClientMessage, encodeMessage } from '../../src/protocol/codec.js';
import { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import { MAX_FRAME_BYTES } from '../../src/protocol/limits.js';
import type { ClientMessageOf, ServerMessage } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { CallTokenError, verifyCallToken } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import type { PresenceDirectory } from '../core/presence-directory.js';
import type { ConnectionId, PresenceEffect } from '../core/presence-effects.js';
import { isValidRoomName } from '../core/room-name.js';
import { TokenBucket, type TokenBucketOptions } from '../core/token-bucket.js';
import { rejectUpgrade } from './reject-upgrade.js';

export interface PresenceSocketOptions {
  readonly directory: PresenceDirectory;
  readonly tokenSecret: string;
  readonly now: Clock;
  /** Exact origins (`scheme://host:port`) whose pages may connect. Anything else gets 403 at the handshake. */
  readonly isAllowedOrigin: (origin: string) => boolean;
  /** Close with 4401 if no valid `join` frame arrives in time. Default 10 s. */
  readonly joinTimeoutMs?: number;
  /** Frames per connection: burst and sustained rate. Default 40 at once, 20/s. Beyond it: close 1008. */
  readonly messageRate?: TokenBucketOptions;
  /** WebSocket-level pings (browsers answer them even in throttled background tabs). Default 30 s. */
  readonly pingIntervalMs?: number;
  /** How often silent participants are looked for. Default 15 s; 0 turns the timer off (tests call sweep()). */
  readonly sweepIntervalMs?: number;
}

export interface PresenceSocketServer {
  /** Takes over an HTTP upgrade on `/rooms/:room`; returns false for other paths. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Runs the heartbeat sweep now. */
  sweep(): void;
  readonly connectionCount: number;
  close(): Promise<void>;
}

interface Connection {
  readonly id: ConnectionId;
  readonly ws: WebSocket;
  readonly room: string;
  readonly rate: TokenBucket;
  joined: boolean;
  closed: boolean;
  /** Frames are handled one at a time, in order, even though `join` awaits token verification. */
  queue: Promise<void>;
}

const ROOM_PATH = /^\/rooms\/([^/]+)$/;

export function createPresenceSocketServer(options: PresenceSocketOptions): PresenceSocketServer {
  const { directory, now } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const connections = new Map<ConnectionId, Connection>();
  const timers: NodeJS.Timeout[] = [];

  const sweepIntervalMs = options.sweepIntervalMs ?? 15_000;
  if (sweepIntervalMs > 0) timers.push(setInterval(sweep, sweepIntervalMs).unref());
  timers.push(
    setInterval(() => {
      for (const { ws } of connections.values()) if (ws.readyState === ws.OPEN) ws.ping();
    }, options.pingIntervalMs ?? 30_000).unref(),
  );

  function sweep(): void {
    apply(directory.sweep());
  }

  function apply(effects: PresenceEffect[]): void {
    for (const effect of effects) {
      const connection = connections.get(effect.to);
      if (!connection) continue;
      if (effect.type === 'send') send(connection, effect.message);
      else close(connection, effect.code, effect.reason);
    }
  }

  function send(connection: Connection, message: ServerMessage): void {
    if (connection.ws.readyState === connection.ws.OPEN) connection.ws.send(encodeMessage(message));
  }

  function sendError(connection: Connection, code: PresenceErrorCode, message: string): void {
    send(connection, { v: PROTOCOL_VERSION, type: 'error', code, message });
  }

  function close(connection: Connection, code: number, reason: string): void {
    connection.ws.close(code, reason);
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = ROOM_PATH.exec(url.pathname);
    if (!match) return false;
    let room: string;
    try {
      room = decodeURIComponent(match[1] ?? '');
    } catch {
      room = '';
    }
    if (!isValidRoomName(room)) {
      rejectUpgrade(socket, 404, 'not_found', 'unknown room path');
      return true;
    }
    const origin = request.headers.origin;
    if (!origin || !options.isAllowedOrigin(origin)) {
      rejectUpgrade(socket, 403, 'forbidden', 'origin not allowed');
      return true;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, room));
    return true;
  }

  function accept(ws: WebSocket, room: string): void {
    const connection: Connection = {
      id: randomUUID(),
      ws,
      room,
      rate: new TokenBucket(options.messageRate ?? { capacity: 40, refillPerSecond: 20 }, now),
      joined: false,
      closed: false,
      queue: Promise.resolve(),
    };
    connections.set(connection.id, connection);
    const joinTimer = setTimeout(() => {
      if (!connection.joined) close(connection, PresenceCloseCode.unauthorized, 'no join frame in time');
    }, options.joinTimeoutMs ?? 10_000);

    ws.on('message', (data, isBinary) => {
      if (connection.closed) return;
      if (!connection.rate.take().ok) {
        connection.closed = true;
        close(connection, PresenceCloseCode.rateLimited, 'too many messages');
        return;
      }
      connection.queue = connection.queue
        .then(() => handleFrame(connection, data, isBinary))
        .catch(() => {
          // Never a stack trace to the client; the room carries on.
          close(connection, PresenceCloseCode.internalError, 'internal error');
        });
    });
    ws.on('pong', () => {
      if (connection.joined) directory.room(connection.room).touch(connection.id);
    });
    // Oversized frames: ws reports an error and closes with 1009 by itself.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(joinTimer);
      connection.closed = true;
      connections.delete(connection.id);
      if (!connection.joined) return;
      apply(directory.room(connection.room).disconnect(connection.id));
      directory.releaseIfEmpty(connection.room);
    });
  }

  async function handleFrame(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    if (connection.closed) return;
    const decoded = isBinary
      ? ({ ok: false, code: PresenceErrorCode.badRequest, reason: 'binary frames are not accepted' } as const)
      : decodeClientMessage(rawText(data));

    if (!connection.joined) {
      if (!decoded.ok && decoded.code === PresenceErrorCode.unsupportedVersion) {
        return close(connection, PresenceCloseCode.protocolError, decoded.reason);
      }
      if (!decoded.ok || decoded.message.type !== 'join') {
        return close(
          connection,
          PresenceCloseCode.unauthorized,
          'the first frame must be a join with a room token',
        );
      }
      return join(connection, decoded.message);
    }
    if (!decoded.ok) return sendError(connection, decoded.code, decoded.reason);
    if (decoded.message.type === 'join')
      return sendError(connection, PresenceErrorCode.notJoined, 'already joined');
    apply(directory.room(connection.room).receive(connection.id, decoded.message));
  }

  async function join(connection: Connection, message: ClientMessageOf<'join'>): Promise<void> {
    let claims;
    try {
      claims = await verifyCallToken(message.token, {
        secret: options.tokenSecret,
        room: connection.room,
        now,
      });
    } catch (error) {
      const roomMismatch = error instanceof CallTokenError && error.code === 'room-mismatch';
      const reason = error instanceof CallTokenError ? error.message : 'invalid token';
      return close(
        connection,
        roomMismatch ? PresenceCloseCode.forbidden : PresenceCloseCode.unauthorized,
        reason,
      );
    }
    if (connection.closed) return;
    connection.joined = true;
    apply(directory.room(connection.room).join(connection.id, claims));
  }

  return {
    handleUpgrade,
    sweep,
    get connectionCount() {
      return connections.size;
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const { ws } of connections.values()) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
