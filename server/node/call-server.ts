// The Node call server: the runtime-neutral HTTP app (token endpoint + SFU proxy) served by
// @hono/node-server, the `ws` presence socket on the same port, and optional static files.
import { serve, type HttpBindings } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { systemClock, type Clock } from '../core/clock.js';
import { PresenceDirectory } from '../core/presence-directory.js';
import { createLocalProxyRoomState } from '../core/proxy-room-state.js';
import type { HeartbeatOptions } from '../core/room-presence.js';
import { SessionRegistry } from '../core/session-registry.js';
import { KeyedRateLimiter, type TokenBucketOptions } from '../core/token-bucket.js';
import { createCallServerApp, notFound } from '../http/app.js';
import { createLobbyRoute } from '../http/lobby-route.js';
import { createDemoTokenEndpoint } from '../http/demo-token-endpoint.js';
import { createPartyTracksProxy } from '../http/partytracks-proxy.js';
import { directoryRoomStreams } from '../core/room-streams.js';
import { systemSchedule } from '../core/schedule.js';
import { hubStreamPresence } from '../core/stream-participant.js';
import { closeSessionTracks } from '../core/track-eviction.js';
import { sessionsOfRemoved } from '../core/removed-sessions.js';
import { createSfuClient } from '../http/sfu-client.js';
import { createWhepRoute, type WhepRouteOptions } from '../http/whep-route.js';
import { createWhipRoute } from '../http/whip-route.js';
import type { SfuUpstream } from '../http/sfu-upstream.js';
import { createPresenceSocketServer, type PresenceSocketServer } from './presence-socket.js';
import { answerClientError, httpServerOptions, type HttpTimeouts } from './http-timeouts.js';
import { rejectUpgrade } from './reject-upgrade.js';
import { installSfuFetch } from './sfu-fetch.js';
import { addStaticFiles, type StaticRoots } from './static-files.js';

export interface CallServerOptions {
  readonly tokenSecret: string;
  readonly upstream: SfuUpstream;
  /** Default 127.0.0.1: nothing on the LAN reaches a development server unless asked to. */
  readonly hostname?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** DEVELOPMENT ONLY: `/api/call-token` hands a token to anyone. Default false. */
  readonly demoTokenEndpoint?: boolean;
  /**
   * Origins whose pages may use this server: open the presence socket and call `/partytracks/*`,
   * `GET /rooms/:room` and the demo token endpoint with fetch (CORS). Default: this server's own origin
   * (127.0.0.1, localhost and [::1] on its port).
   */
  readonly allowedOrigins?: readonly string[];
  readonly staticRoots?: StaticRoots;
  readonly now?: Clock;
  readonly heartbeat?: HeartbeatOptions;
  /** How long one SFU call may take before the browser gets 504 `upstream_timeout`. Default 10 s. */
  readonly upstreamTimeoutMs?: number;
  /** `sessions/new` per user. Default a burst of 20, then one per second. */
  readonly sessionRate?: TokenBucketOptions;
  /** WHEP rooms anyone may watch without a token (public broadcasts). Default: none. */
  readonly isPublicRoom?: WhepRouteOptions['isPublicRoom'];
  /** Deadlines for slow clients: headers 5 s, whole request 10 s, idle keep-alive 5 s by default. */
  readonly timeouts?: HttpTimeouts;
  /** Presence-socket tuning, mostly for tests. */
  readonly presence?: {
    readonly sweepIntervalMs?: number;
    readonly joinTimeoutMs?: number;
    readonly messageRate?: TokenBucketOptions;
    readonly maxUnauthenticatedPerAddress?: number;
    readonly pingIntervalMs?: number;
    readonly unansweredPingMs?: number;
  };
}

export interface CallServer {
  /** e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly port: number;
  readonly presence: PresenceSocketServer;
  readonly directory: PresenceDirectory;
  readonly sessions: SessionRegistry;
  /** WHIP streams in progress. */
  readonly whip: { readonly streamCount: number };
  /** WHEP viewers in progress. */
  readonly whep: { readonly viewerCount: number };
  /**
   * Tell the call server the SFU dropped a session (e.g. the local SFU's garbage collector): its participant
   * leaves the room unless their presence socket answers a ping within a few seconds.
   */
  sessionGone(sessionId: string): void;
  close(): Promise<void>;
}

export async function startCallServer(options: CallServerOptions): Promise<CallServer> {
  const now = options.now ?? systemClock;
  const hostname = options.hostname ?? '127.0.0.1';
  installSfuFetch(options.upstream.realtimeApiBaseUrl, { timeoutMs: options.upstreamTimeoutMs });

  const sessions = new SessionRegistry({ now });
  // WHIP streams, WHEP viewers and host removals talk to the same SFU as the proxy, with the same credentials.
  const sfu = createSfuClient(options.upstream);
  const directory = new PresenceDirectory({
    now,
    sessions,
    heartbeat: options.heartbeat,
    onRemoved: (removal) => void closeSessionTracks(sfu, sessionsOfRemoved(removal, sessions)),
  });
  // One process holds every room: the same answers whichever room the caller is in.
  const roomState = createLocalProxyRoomState({
    sessions,
    publications: directory,
    removals: directory,
    sessionLimiter: new KeyedRateLimiter(options.sessionRate ?? { capacity: 20, refillPerSecond: 1 }, now),
  });
  const proxy = createPartyTracksProxy({
    upstream: options.upstream,
    tokenSecret: options.tokenSecret,
    rooms: () => roomState,
    now,
    lockSessionToInitiator: true,
    upstreamTimeoutMs: options.upstreamTimeoutMs,
    onSessionGone: (sessionId) => presence.sessionGone(sessionId),
  });
  let port = options.port;
  const allowedOrigins = () =>
    options.allowedOrigins ?? [
      `http://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      `http://[::1]:${port}`,
    ];
  // One allowlist for the presence socket and for fetch from pages (CORS).
  const isAllowedOrigin = (origin: string) => allowedOrigins().includes(origin);
  const presence: PresenceSocketServer = createPresenceSocketServer({
    directory,
    sessionOwners: sessions,
    tokenSecret: options.tokenSecret,
    now,
    isAllowedOrigin,
    ...options.presence,
  });

  const whip = createWhipRoute({
    sfu,
    iceServers: options.upstream.staticIceServers,
    tokenSecret: options.tokenSecret,
    sessions,
    presence: hubStreamPresence(presence.hub),
    now,
    schedule: systemSchedule,
  });
  const whep = createWhepRoute({
    sfu,
    iceServers: options.upstream.staticIceServers,
    tokenSecret: options.tokenSecret,
    rooms: directoryRoomStreams(directory),
    now,
    schedule: systemSchedule,
    isPublicRoom: options.isPublicRoom,
  });
  const app = createCallServerApp({
    isAllowedOrigin,
    clientAddress: (c) => (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket.remoteAddress,
    proxy,
    whip,
    whep,
    lobby: createLobbyRoute({ tokenSecret: options.tokenSecret, now, rooms: directory }),
    demoTokenEndpoint: options.demoTokenEndpoint
      ? createDemoTokenEndpoint({
          tokenSecret: options.tokenSecret,
          now,
          // TURN credentials are minted per token by generate-ice-servers; fixed servers can come with the token.
          iceServers: options.upstream.turn ? undefined : options.upstream.staticIceServers,
        })
      : undefined,
  });
  if (options.staticRoots) addStaticFiles(app, options.staticRoots);
  app.notFound(() => notFound());

  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname,
        serverOptions: httpServerOptions(options.timeouts),
      },
      () => resolve(created as Server),
    );
    created.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  server.on('clientError', answerClientError);
  server.on('upgrade', (request, socket, head) => {
    if (!presence.handleUpgrade(request, socket, head))
      rejectUpgrade(socket, 404, 'not_found', 'unknown path');
  });

  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    port,
    presence,
    directory,
    sessions,
    whip,
    whep,
    sessionGone: (sessionId) => presence.sessionGone(sessionId),
    async close() {
      whip.close();
      whep.close();
      await presence.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
