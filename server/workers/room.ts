// The `Room` Durable Object: one per room name, holding that room's presence sockets and everything the SFU
// proxy asks about the room. The presence itself is the runtime-neutral core (PresenceHub, PresenceConnection,
// RoomPresence), as on Node; this class only adapts it to the object's lifecycle:
// - sockets are accepted with the Hibernation API, each socket's id and join state in its attachment;
// - the heartbeat `ping` is answered by the runtime's auto-response, so an idle room sleeps;
// - roster, publications, host removals, breakout rooms and session owners live in SQLite (RoomStorage) and
//   are restored on every wake (a breakout countdown that was running is rescheduled for its time left);
// - the join timeout and the heartbeat sweep run from the alarm, never from a timer.
import { DurableObject } from 'cloudflare:workers';
import { encodeMessage } from '../../src/protocol/codec.js';
import type { RoomLobby } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { CallTokenClaims } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import type { JoinedAs, PresenceConnection } from '../core/presence-connection.js';
import { PresenceDirectory } from '../core/presence-directory.js';
import { PresenceHub } from '../core/presence-hub.js';
import { directoryRoomStreams } from '../core/room-streams.js';
import { hubStreamPresence } from '../core/stream-participant.js';
import type { SfuCallBody } from '../core/proxy-authorization.js';
import { createLocalProxyRoomState, type Admission, type ProxyRoomState } from '../core/proxy-room-state.js';
import type { ProxyRoute } from '../core/proxy-route.js';
import { isValidRoomName } from '../core/room-name.js';
import type { SessionOwner } from '../core/session-registry.js';
import { KeyedRateLimiter, type TakeResult } from '../core/token-bucket.js';
import { closeSessionTracks } from '../core/track-eviction.js';
import { jsonError } from '../http/json-error.js';
import { createSfuClient } from '../http/sfu-client.js';
import type { ResourceTarget } from '../http/stream-resources.js';
import { createWhepRoute, type WhepHandlerRoute } from '../http/whep-route.js';
import { createWhipRoute, type WhipHandlerRoute } from '../http/whip-route.js';
import { AlarmSchedule } from './alarm-schedule.js';
import { readWorkerConfig, type WorkerConfig, type WorkerVars } from './config.js';
import type { RoomInspection } from './room-inspection.js';
import { RoomStorage } from './room-storage.js';
import { socketTransport } from './socket-transport.js';

/** What a socket carries through hibernation (well under the 2 KiB attachment limit). */
interface SocketAttachment {
  readonly id: string;
  /** Who joined and until when their token runs: the expiry is re-armed from it on every wake. */
  readonly joined?: JoinedAs;
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
  readonly #whip: WhipHandlerRoute;
  readonly #whep: WhepHandlerRoute;
  /** Connections by socket id. */
  readonly #connections = new Map<string, PresenceConnection>();
  #roomName: string | undefined;
  /** Members changed since the last save; they are saved together at the end of the tick. */
  readonly #unsavedMembers = new Set<string>();
  /** The breakout rooms changed since the last save; saved with the members. */
  #unsavedBreakouts = false;
  #saveScheduled = false;
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
      onBreakoutsChange: () => this.#saveBreakouts(),
      onRemoved: (removal) => {
        // At once, not with the tick's batch: the output gate then holds the 4410 until the ban is stored.
        this.#saveBan(removal.room, removal.userId);
        // Publications name the sessions whose tracks to close (the storage keeps no "latest session" index).
        void closeSessionTracks(
          createSfuClient(this.#config.upstream),
          removal.publications.map((p) => p.sessionId),
        );
      },
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
      // Saved as they happen (`onRemoved`) and restored on every wake, like the roster.
      removals: this.#directory,
      // In memory: after a wake the buckets start full, which an idle object has earned anyway.
      sessionLimiter: new KeyedRateLimiter(this.#config.sessionRate, this.#now),
    });
    // WHIP streams and WHEP viewers are the room's too: a stream is a member of this room's presence, and
    // its liveness check runs from this object's alarm (which keeps the object awake while it streams).
    const sfu = createSfuClient(this.#config.upstream);
    const streamOptions = {
      sfu,
      iceServers: this.#config.upstream.staticIceServers,
      tokenSecret: this.#config.tokenSecret,
      now: this.#now,
      schedule: this.#schedule.schedule,
    };
    this.#whip = createWhipRoute({
      ...streamOptions,
      sessions: this.#storage,
      presence: hubStreamPresence(this.#hub),
    });
    this.#whep = createWhepRoute({
      ...streamOptions,
      rooms: directoryRoomStreams(this.#directory),
      isPublicRoom: (room) => this.#config.publicRooms.includes(room),
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
    const attachment: SocketAttachment = { id: crypto.randomUUID() };
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
    // A join or a refresh: save who joined and the new deadline, so a wake re-arms the token's expiry.
    const joined = connection.joinedAs;
    if (joined && joined.expiresAt !== attachment.joined?.expiresAt) {
      ws.serializeAttachment({ id: attachment.id, joined } satisfies SocketAttachment);
      this.#armAlarm();
    }
  }

  // A socket closed before it ever sent a frame (the join timeout's 4401) gets its close frame at once, and this
  // handler runs at once on the client's reply, but workerd keeps the TCP connection until the object next goes
  // idle (~10 s; longer in a busy room). It is workerd's, not this code's: a 15-line object in bare workerd
  // 1.20261117.1 (no Miniflare) does the same whether it closes from the alarm, a timer or `fetch`, whether
  // this handler echoes the close or not, and after sending a frame of its own; only a frame from the client
  // first (even an auto-answered ping) or a non-hibernatable `accept()` avoids it. Browsers end the connection
  // themselves 2 s after the closing handshake (Chromium: `close` 2.3 s after open with a 300 ms timeout).
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
    this.#storage.forgetEndedBans();
    this.#armAlarm();
  }

  // RPC FOR WHIP AND WHEP (the Worker's routes hand the whole request to the room's object)

  /** `/whip/:room` and its stream resources, served by the same handler as on Node. */
  whip(request: Request, room: string, target?: ResourceTarget): Promise<Response> {
    this.#useRoom(room);
    return this.#whip(request, room, target);
  }

  /** `/whep/:room[/:participant]` and its viewer resources, served by the same handler as on Node. */
  whep(request: Request, room: string, target?: string | ResourceTarget): Promise<Response> {
    this.#useRoom(room);
    return this.#whep(request, room, target);
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
      streams: this.#whip.streamCount,
      viewers: this.#whep.viewerCount,
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
    this.#directory.removals.restore(this.#storage.bans());
    const presence = this.#directory.room(room);
    presence.restore(this.#storage.members());
    const breakouts = this.#storage.breakouts();
    if (breakouts) this.#hub.deliver(presence.restoreBreakouts(breakouts));
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

  /**
   * Saves changed members once per tick, in one transaction: every write holds the frames sent after it until
   * it is stored (the object's output gate), so a write per state change made a busy room wait on its storage.
   * `npm run bench -- presence`, 25 sockets at 16/s (400 frames/s offered), on a loaded 2-core machine: a write
   * per change took 106-183 frames/s and fell 3.5-8 s behind; one save per tick takes 280-303, under 1.3 s.
   */
  #saveMember(userId: string): void {
    this.#unsavedMembers.add(userId);
    this.#saveSoon();
  }

  #saveBreakouts(): void {
    this.#unsavedBreakouts = true;
    this.#saveSoon();
  }

  #saveSoon(): void {
    if (this.#roomName === undefined || this.#saveScheduled) return;
    this.#saveScheduled = true;
    setTimeout(() => this.#saveNow(), 0);
  }

  #saveNow(): void {
    this.#saveScheduled = false;
    const room = this.#roomName;
    if (room === undefined) return;
    const userIds = [...this.#unsavedMembers];
    const breakouts = this.#unsavedBreakouts;
    this.#unsavedMembers.clear();
    this.#unsavedBreakouts = false;
    // `existing`, not `room`: a room released when its last member left is saved as having no breakouts.
    const presence = this.#directory.existing(room);
    this.ctx.storage.transactionSync(() => {
      for (const userId of userIds) this.#storage.saveMember(userId, presence?.member(userId));
      if (breakouts) this.#storage.saveBreakouts(presence?.breakoutsSnapshot());
    });
  }

  #saveBan(room: string, userId: string): void {
    const untilMs = this.#directory.removals.until(room, userId);
    if (untilMs !== undefined) this.#storage.saveBan({ room, userId, untilMs });
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
  if (typeof id !== 'string') return undefined;
  const valid =
    typeof joined === 'object' &&
    joined !== null &&
    typeof joined.userId === 'string' &&
    typeof joined.expiresAt === 'number';
  return valid ? { id, joined: { userId: joined.userId, expiresAt: joined.expiresAt } } : { id };
}
