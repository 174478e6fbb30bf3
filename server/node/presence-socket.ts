// Room presence over WebSocket (`/rooms/:room`) on Node's `ws`. Only the Node part lives here: the HTTP
// upgrade, the Origin allowlist, WebSocket pings and the sweep timer. Everything a frame means is decided
// by the runtime-neutral PresenceHub in server/core.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { PresenceCloseCode } from '../../src/protocol/close-codes.js';
import { MAX_FRAME_BYTES } from '../../src/protocol/limits.js';
import type { Clock } from '../core/clock.js';
import type { PresenceDirectory } from '../core/presence-directory.js';
import { PresenceHub, type SessionOwnerIndex } from '../core/presence-hub.js';
import type { PresenceConnection } from '../core/presence-connection.js';
import type { PresenceOutboxOptions } from '../core/presence-outbox.js';
import type { PresenceFrame, PresenceTransport } from '../core/presence-transport.js';
import { isValidRoomName } from '../core/room-name.js';
import type { TokenBucketOptions } from '../core/token-bucket.js';
import { AddressSlots } from './address-slots.js';
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
  /** Lets `sessionGone()` find the participant behind an SFU session (the proxy's session registry). */
  readonly sessionOwners?: SessionOwnerIndex;
  /** Backpressure per socket (defaults in PresenceHubOptions): slow readers are closed with 4429. */
  readonly outbox?: PresenceOutboxOptions;
  /**
   * WebSocket-level pings. Browsers answer them from the network stack, even in throttled or frozen background
   * tabs, so silence means the machine is gone. Default 4 s.
   */
  readonly pingIntervalMs?: number;
  /**
   * A socket that answered no ping and sent nothing for this long is dropped and its participant times out:
   * a vanished or sleeping machine leaves the others' screens in about 9-13 s instead of the heartbeat
   * timeout's minute. Default 9 s.
   */
  readonly unansweredPingMs?: number;
  /** How often silent participants are looked for. Default 15 s; 0 turns the timer off (tests call sweep()). */
  readonly sweepIntervalMs?: number;
  /**
   * Sockets one client address may hold before their `join` was accepted; beyond it the upgrade gets 429.
   * Default 16.
   */
  readonly maxUnauthenticatedPerAddress?: number;
}

export interface PresenceSocketServer {
  /** Takes over an HTTP upgrade on `/rooms/:room`; returns false for other paths. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Runs the heartbeat sweep now. */
  sweep(): void;
  /** The sockets' hub, where server-side participants (WHIP streams) join too. */
  readonly hub: PresenceHub;
  /** The SFU dropped this session: its participant goes unless their socket answers a ping in time. */
  sessionGone(sessionId: string): void;
  readonly connectionCount: number;
  close(): Promise<void>;
}

const ROOM_PATH = /^\/rooms\/([^/]+)$/;

export function createPresenceSocketServer(options: PresenceSocketOptions): PresenceSocketServer {
  const hub = new PresenceHub(options);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  /** Every open socket, with when it last answered a ping or sent a frame. */
  const sockets = new Map<WebSocket, { connection: PresenceConnection; heardAt: number }>();
  const timers: NodeJS.Timeout[] = [];
  const unauthenticated = new AddressSlots(options.maxUnauthenticatedPerAddress ?? 16);

  const sweepIntervalMs = options.sweepIntervalMs ?? 15_000;
  if (sweepIntervalMs > 0) timers.push(setInterval(() => hub.sweep(), sweepIntervalMs).unref());
  const unansweredPingMs = options.unansweredPingMs ?? 9_000;
  timers.push(
    setInterval(() => {
      const now = Date.now();
      for (const [ws, socket] of sockets) {
        if (ws.readyState !== ws.OPEN) continue;
        if (now - socket.heardAt <= unansweredPingMs) {
          ws.ping();
          continue;
        }
        socket.connection.unresponsive();
        ws.terminate(); // a frozen peer would never finish a closing handshake
      }
    }, options.pingIntervalMs ?? 4_000).unref(),
  );

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
    const release = unauthenticated.take(request.socket.remoteAddress ?? '');
    if (!release) {
      rejectUpgrade(socket, 429, 'rate_limited', 'too many presence sockets from this address', {
        'Retry-After': '10',
      });
      return true;
    }
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, room, release));
    return true;
  }

  function accept(ws: WebSocket, room: string, release: () => void): void {
    const connection = hub.open(room, transportOf(ws, release));
    const socket = { connection, heardAt: Date.now() };
    sockets.set(ws, socket);
    ws.on('message', (data, isBinary) => {
      socket.heardAt = Date.now();
      connection.receive(frameOf(data, isBinary));
    });
    ws.on('pong', () => {
      socket.heardAt = Date.now();
      connection.touch();
    });
    // Oversized frames: ws reports an error and closes with 1009 by itself.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      sockets.delete(ws);
      connection.ended();
    });
  }

  return {
    handleUpgrade,
    hub,
    sweep: () => hub.sweep(),
    sessionGone: (sessionId) => hub.sessionGone(sessionId),
    get connectionCount() {
      return hub.connectionCount;
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const ws of sockets.keys()) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

function transportOf(ws: WebSocket, joined: () => void): PresenceTransport {
  return {
    joined,
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    ping: () => {
      if (ws.readyState === ws.OPEN) ws.ping();
    },
    send: (text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    },
    close: (code, reason) => {
      ws.close(code, reason);
      // A reader too slow to take its frames won't take the close frame soon either: don't hold its buffers
      // for ws's 30 s closing handshake.
      if (code === PresenceCloseCode.slowReader) setTimeout(() => ws.terminate(), 2_000).unref();
    },
  };
}

function frameOf(data: RawData, isBinary: boolean): PresenceFrame {
  const bytes = Array.isArray(data)
    ? Buffer.concat(data)
    : data instanceof ArrayBuffer
      ? Buffer.from(data)
      : data;
  return isBinary ? bytes : bytes.toString('utf8');
}
