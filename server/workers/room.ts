// The `Room` Durable Object: one per room name, holding that room's presence sockets and everything the SFU
// proxy asks about the room. The presence itself is the runtime-neutral core (PresenceHub, PresenceConnection,
// RoomPresence), as on Node; this class only adapts it to the object's lifecycle:
// - sockets are accepted with the Hibernation API, each socket's id and join state in its attachment;
// - the heartbeat `ping` is answered by the runtime's auto-response, so an idle room sleeps;
// - roster, publications and session owners live in SQLite (RoomStorage) and are restored on every wake;
// - the join timeout and the heartbeat sweep run from the alarm, never from a timer.
import { DurableObject } from 'cloudflare:workers';
import { encodeMessage } from '../../src/protocol/codec.js';
import type { RoomLobby } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { CallTokenClaims } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import type { PresenceConnection } from '../core/presence-connection.js';
import { PresenceDirectory } from '../core/presence-directory.js';
import { PresenceHub } from '../core/presence-hub.js';
import type { SfuCallBody } from '../core/proxy-authorization.js';
import { createLocalProxyRoomState, type Admission, type ProxyRoomState } from '../core/proxy-room-state.js';
import type { ProxyRoute } from '../core/proxy-route.js';
import { isValidRoomName } from '../core/room-name.js';
import type { SessionOwner } from '../core/session-registry.js';
import { KeyedRateLimiter, type TakeResult } from '../core/token-bucket.js';
import { jsonError } from '../http/json-error.js';
import { AlarmSchedule } from './alarm-schedule.js';
import { readWorkerConfig, type WorkerConfig, type WorkerVars } from './config.js';
import type { RoomInspection } from './room-inspection.js';
import { RoomStorage } from './room-storage.js';
import { socketTransport } from './socket-transport.js';

/** What a socket carries through hibernation (well under the 2 KiB attachment limit). */
interface SocketAttachment {
  readonly id: string;
  readonly joined: boolean;
}

/** The heartbeat the widget sends while idle, and the answer, exactly as the runtime matches them. */
export const HEARTBEAT_PING = encodeMessage({ v: PROTOCOL_VERSION, type: 'ping' });
export const HEARTBEAT_PONG = encodeMessage({ v: PROTOCOL_VERSION, type: 'pong' });

// Tests set the presence clock, which then stands still like theirs (alarms keep firing by the wall clock).
// Module-level, so every room object in the isolate agrees; only `setClockForTests` sets it, with TEST_HOOKS=on.
let testClockMs: number | undefined;

export class Room extends DurableObject<WorkerVars> {
  readonly #config: WorkerConfig;
  readonly #now: Clock = () => testClockMs ?? Date.now();
  readonly #storage: RoomStorage;
  readonly #schedule: AlarmSchedule;
  readonly #directory: PresenceDirectory;
  readonly #hub: PresenceHub;
  readonly #proxy: ProxyRoomState;
  /** Connections by socket id. */
  readonly #connections = new Map<string, PresenceConnection>();
  #roomName: string | undefined;
  #alarmAt: number | undefined;
  #lastSweepAt = Date.now();
  #framesHandled = 0;

  constructor(ctx: DurableObjectState, env: WorkerVars) {
    super(ctx, env);
    this.#config = readWorkerConfig(env);
    this.#storage = new RoomStorage(ctx.storage.sql, { now: this.#now });
    this.#storage.countWake(Date.now());
    this.#schedule = new AlarmSchedule(
      () => Date.now(),
      () => this.#armAlarm(),
    );
    const heartbeat = this.#config.presence.heartbeatTimeoutMs;
    this.#directory = new PresenceDirectory({
      now: this.#now,
      sessions: this.#storage,
      heartbeat: heartbeat === undefined ? undefined : { timeoutMs: heartbeat },
      onMemberChange: (userId) => this.#saveMember(userId),
    });
    this.#hub = new PresenceHub({
      directory: this.#directory,
      tokenSecret: this.#config.tokenSecret,
      now: this.#now,
      schedule: this.#schedule.schedule,
      joinTimeoutMs: this.#config.presence.joinTimeoutMs,
    });
    this.#proxy = createLocalProxyRoomState({
      sessions: this.#storage,
      publications: this.#directory,
      // In memory: after a wake the buckets start full, which an idle object has earned anyway.
      sessionLimiter: new KeyedRateLimiter(this.#config.sessionRate, this.#now),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
    this.#restore();
  }

  // PRESENCE SOCKETS

  /** `GET /rooms/:room` with `Upgrade: websocket`, Origin already checked by the Worker. */
  override async fetch(request: Request): Promise<Response> {
    const room = roomOf(request);
    if (room === undefined) return jsonError(404, 'not_found', 'unknown room path');
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return jsonError(400, 'invalid_request', 'open this path as a WebSocket');
    }
    this.#useRoom(room);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const attachment: SocketAttachment = { id: crypto.randomUUID(), joined: false };
    server.serializeAttachment(attachment);
    this.#open(room, server, attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const attachment = attachmentOf(ws);
    const connection = attachment && this.#connections.get(attachment.id);
    if (!connection) return;
    this.#framesHandled++;
    connection.receive(message);
    await connection.idle;
    if (connection.joined && !attachment.joined) {
      ws.serializeAttachment({ ...attachment, joined: true } satisfies SocketAttachment);
      this.#armAlarm();
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#ended(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // The runtime already completed the closing handshake.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#ended(ws);
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = undefined;
    this.#schedule.runDue();
    const interval = this.#config.presence.sweepIntervalMs;
    if (interval > 0 && Date.now() >= this.#lastSweepAt + interval) this.#sweep();
    this.#storage.forgetExpiredSessions();
    this.#armAlarm();
  }

  // RPC FOR THE SFU PROXY AND THE LOBBY (called by the Worker through the room's stub)

  takeSessionAllowance(userId: string): Promise<TakeResult> {
    return Promise.resolve(this.#proxy.takeSessionAllowance(userId));
  }

  admit(route: ProxyRoute, body: SfuCallBody | undefined, caller: CallTokenClaims): Promise<Admission> {
    this.#useRoom(caller.room);
    return Promise.resolve(this.#proxy.admit(route, body, caller));
  }

  knowsSession(sessionId: string): Promise<boolean> {
    return Promise.resolve(this.#proxy.knowsSession(sessionId));
  }

  async recordSession(sessionId: string, owner: SessionOwner, keyDigest?: string): Promise<void> {
    this.#useRoom(owner.room);
    await this.#proxy.recordSession(sessionId, owner, keyDigest);
  }

  lobby(room: string): RoomLobby {
    return this.#directory.lobby(room);
  }

  isPublished(room: string, sessionId: string, trackName: string, viewerId?: string): boolean {
    return this.#directory.isPublished(room, sessionId, trackName, viewerId);
  }

  inspect(): RoomInspection {
    return {
      participants: this.#roomName ? this.#directory.room(this.#roomName).participantCount : 0,
      sockets: this.#connections.size,
      pendingCallbacks: this.#schedule.size,
      ...(this.#schedule.nextAt !== undefined && { nextCallbackInMs: this.#schedule.nextAt - this.#now() }),
      wakes: this.#storage.meta('wakes'),
      wokeAt: this.#storage.meta('woke_at'),
      framesHandled: this.#framesHandled,
    };
  }

  // TEST HOOKS (refused unless TEST_HOOKS=on)

  /** Sets the presence clock of every room in this isolate; it stands still until set again. */
  setClockForTests(now: number): void {
    this.#requireTestHooks();
    testClockMs = now;
  }

  /** Runs the heartbeat sweep now, as the alarm would. */
  sweepForTests(): void {
    this.#requireTestHooks();
    this.#sweep();
  }

  // INTERNALS

  /** Rebuilds the room from SQLite and the sockets that survived (hibernation keeps them; a restart does not). */
  #restore(): void {
    const room = this.#storage.roomName;
    if (room === undefined) return;
    this.#roomName = room;
    this.#directory.room(room).restore(this.#storage.members());
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = attachmentOf(ws);
      if (attachment && ws.readyState === WebSocket.OPEN) this.#open(room, ws, attachment);
    }
    this.#armAlarm();
  }

  #open(room: string, ws: WebSocket, attachment: SocketAttachment): void {
    const connection = this.#hub.open(room, socketTransport(ws), attachment);
    this.#connections.set(attachment.id, connection);
    this.#armAlarm();
  }

  #ended(ws: WebSocket): void {
    const attachment = attachmentOf(ws);
    if (!attachment) return;
    this.#connections.get(attachment.id)?.ended();
    this.#connections.delete(attachment.id);
  }

  #useRoom(room: string): void {
    if (this.#roomName === room) return;
    if (this.#roomName !== undefined) throw new Error('one object serves one room');
    this.#roomName = room;
    this.#storage.roomName = room;
  }

  #saveMember(userId: string): void {
    if (this.#roomName === undefined) return;
    this.#storage.saveMember(userId, this.#directory.room(this.#roomName).member(userId));
  }

  #sweep(): void {
    // Pings answered by the auto-response never reach this code: they count as signs of life here.
    for (const ws of this.ctx.getWebSockets()) {
      const answeredAt = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime();
      const attachment = attachmentOf(ws);
      if (attachment && answeredAt !== undefined && answeredAt > this.#lastSweepAt) {
        this.#connections.get(attachment.id)?.touch();
      }
    }
    this.#lastSweepAt = Date.now();
    this.#hub.sweep();
  }

  /** One alarm for everything: the earliest pending callback, and the next sweep while anyone is here. */
  #armAlarm(): void {
    let next = this.#schedule.nextAt;
    const interval = this.#config.presence.sweepIntervalMs;
    const occupied = this.#connections.size > 0 || this.#directory.roomCount > 0;
    if (interval > 0 && occupied) {
      const sweepAt = this.#lastSweepAt + interval;
      if (next === undefined || sweepAt < next) next = sweepAt;
    }
    if (next === this.#alarmAt) return;
    this.#alarmAt = next;
    // A cancelled join timeout takes its alarm with it: nothing wakes an idle room.
    void (next === undefined ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(next));
  }

  #requireTestHooks(): void {
    if (!this.#config.testHooks) throw new Error('test hooks are off');
  }
}

function roomOf(request: Request): string | undefined {
  const match = /^\/rooms\/([^/]+)$/.exec(new URL(request.url).pathname);
  if (!match) return undefined;
  try {
    const room = decodeURIComponent(match[1] ?? '');
    return isValidRoomName(room) ? room : undefined;
  } catch {
    return undefined;
  }
}

function attachmentOf(ws: WebSocket): SocketAttachment | undefined {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, joined } = value as Partial<SocketAttachment>;
  return typeof id === 'string' && typeof joined === 'boolean' ? { id, joined } : undefined;
}
