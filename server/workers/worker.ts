// The call server as a Cloudflare Worker: the same Hono app as Node (server/http/app.ts: the SFU proxy, the
// lobby, WHIP and WHEP, the demo token endpoint), and presence sockets handed to the room's `Room` Durable
// Object. WHIP and WHEP requests are handed whole to the room's object, which runs their handlers. The Worker keeps nothing about rooms: every question about a room (who
// created a session, which tracks are published, how many sessions a user may still open) goes to that
// room's object over RPC. Static files (demo/ and dist/) are Workers static assets, served before this code.
import type { Hono } from 'hono';
import { systemClock } from '../core/clock.js';
import { isValidRoomName } from '../core/room-name.js';
import { createCallServerApp, notFound } from '../http/app.js';
import { sameOriginOnly } from '../http/cors.js';
import { createDemoTokenEndpoint } from '../http/demo-token-endpoint.js';
import { jsonError } from '../http/json-error.js';
import { createLobbyRoute } from '../http/lobby-route.js';
import { createPartyTracksProxy } from '../http/partytracks-proxy.js';
import { streamError } from '../http/stream-http.js';
import type { ResourceTarget } from '../http/stream-resources.js';
import { readWorkerConfig, type WorkerVars } from './config.js';
import type { Room } from './room.js';
import { installSfuFetch } from './sfu-fetch.js';

export { Room } from './room.js';

/** The Worker's bindings: the room namespace and the string settings of `config.ts`. */
export interface WorkerEnv extends WorkerVars {
  readonly ROOM: DurableObjectNamespace<Room>;
}

const ROOM_PATH = /^\/rooms\/([^/]+)$/;

// The app depends only on configuration, so one per env object; nothing about rooms is kept with it.
const apps = new WeakMap<
  WorkerEnv,
  { app: Hono; isAllowedOrigin: (origin: string, request: Request) => boolean }
>();

export default {
  async fetch(request, env): Promise<Response> {
    const { app, isAllowedOrigin } = appFor(env);
    const url = new URL(request.url);
    const match = ROOM_PATH.exec(url.pathname);
    if (match && request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      return openPresenceSocket(request, env, match[1] ?? '', isAllowedOrigin);
    }
    return app.fetch(request);
  },
} satisfies ExportedHandler<WorkerEnv>;

function openPresenceSocket(
  request: Request,
  env: WorkerEnv,
  encodedRoom: string,
  isAllowedOrigin: (origin: string, request: Request) => boolean,
): Promise<Response> | Response {
  let room = '';
  try {
    room = decodeURIComponent(encodedRoom);
  } catch {
    // not a room name
  }
  if (!isValidRoomName(room)) return jsonError(404, 'not_found', 'unknown room path');
  const origin = request.headers.get('origin');
  if (!origin || !isAllowedOrigin(origin, request)) return jsonError(403, 'forbidden', 'origin not allowed');
  return roomStub(env, room).fetch(request);
}

function roomStub(env: WorkerEnv, room: string): DurableObjectStub<Room> {
  return env.ROOM.get(env.ROOM.idFromName(room));
}

/** Asks the room's object, unless the name is no room's (then no object is created for it). */
async function inRoom(room: string, ask: () => Promise<Response>): Promise<Response> {
  return isValidRoomName(room) ? ask() : streamError(404, 'not_found', 'unknown room path');
}

function appFor(env: WorkerEnv) {
  const cached = apps.get(env);
  if (cached) return cached;
  const config = readWorkerConfig(env);
  installSfuFetch(config.upstream.realtimeApiBaseUrl);
  const now = systemClock;
  const allowed = config.allowedOrigins;
  const isAllowedOrigin = allowed
    ? (origin: string) => allowed.includes(origin)
    : (origin: string, request: Request) => sameOriginOnly(origin, request);
  const app = createCallServerApp({
    isAllowedOrigin,
    proxy: createPartyTracksProxy({
      upstream: config.upstream,
      tokenSecret: config.tokenSecret,
      rooms: (room) => roomStub(env, room),
      now,
      lockSessionToInitiator: true,
    }),
    lobby: createLobbyRoute({
      tokenSecret: config.tokenSecret,
      now,
      rooms: { lobby: (room) => roomStub(env, room).lobby(room) },
    }),
    // WHIP and WHEP: the room's object runs the same handlers as Node, and holds the streams and viewers.
    whip: (request, room, target?: ResourceTarget) =>
      inRoom(room, () => roomStub(env, room).whip(request, room, target)),
    whep: (request, room, target?: string | ResourceTarget) =>
      inRoom(room, () => roomStub(env, room).whep(request, room, target)),
    demoTokenEndpoint: config.demoTokenEndpoint
      ? createDemoTokenEndpoint({
          tokenSecret: config.tokenSecret,
          now,
          iceServers: config.upstream.turn ? undefined : config.upstream.staticIceServers,
        })
      : undefined,
  });
  app.notFound(() => notFound());
  const entry = { app, isAllowedOrigin };
  apps.set(env, entry);
  return entry;
}
