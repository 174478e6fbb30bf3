// The call server plus, unless Cloudflare credentials are configured, the local SFU in the same process.
import { randomBytes } from 'node:crypto';
import { startLocalSfu, type LocalSfu } from '../sfu/index.js';
import { CLOUDFLARE_STUN, type SfuUpstream } from '../http/sfu-upstream.js';
import { startCallServer, type CallServer, type CallServerOptions } from './call-server.js';
import type { DevStackConfig } from './config.js';
import { loadOrCreateTokenSecret } from './dev-secret.js';
import type { StaticRoots } from './static-files.js';

export interface DevStack {
  readonly url: string;
  readonly callServer: CallServer;
  /** Present when the local SFU runs (no Cloudflare credentials). */
  readonly localSfu?: LocalSfu;
  /** True when neither CALL_TOKEN_SECRET nor a data folder gave the secret, so a random one is used. */
  readonly ephemeralTokenSecret: boolean;
  close(): Promise<void>;
}

export interface DevStackOverrides {
  readonly staticRoots?: StaticRoots;
  readonly callServer?: Partial<CallServerOptions>;
}

export async function startDevStack(
  config: DevStackConfig,
  overrides: DevStackOverrides = {},
): Promise<DevStack> {
  // Kept across restarts in the data folder, so tokens (and calls) survive a restart of the dev server.
  const tokenSecret =
    config.tokenSecret ??
    (config.dataDir ? await loadOrCreateTokenSecret(config.dataDir) : randomBytes(32).toString('hex'));
  let localSfu: LocalSfu | undefined;
  let upstream: SfuUpstream;
  if (config.sfu.kind === 'local') {
    // A fresh secret per run: the local SFU checks it like Cloudflare does, and nothing else knows it.
    const appSecret = randomBytes(32).toString('hex');
    localSfu = await startLocalSfu({ port: 0, host: '127.0.0.1', appId: 'local', appSecret });
    upstream = {
      appId: localSfu.appId,
      appSecret,
      realtimeApiBaseUrl: `${localSfu.baseUrl}/v1`,
      staticIceServers: [], // loopback only: never hand out a public STUN server
    };
  } else {
    upstream = {
      appId: config.sfu.appId,
      appSecret: config.sfu.appSecret,
      realtimeApiBaseUrl: config.sfu.realtimeApiBaseUrl,
      turn: config.sfu.turn,
      staticIceServers: CLOUDFLARE_STUN,
    };
  }

  try {
    const callServer = await startCallServer({
      port: config.port,
      hostname: config.hostname,
      tokenSecret,
      upstream,
      demoTokenEndpoint: config.demoTokenEndpoint,
      allowedOrigins: config.allowedOrigins,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      staticRoots: overrides.staticRoots,
      ...overrides.callServer,
    });
    // The SFU's garbage collector knows first when a participant's machine vanished.
    localSfu?.onSessionClosed((sessionId) => callServer.sessionGone(sessionId));
    return {
      url: callServer.url,
      callServer,
      localSfu,
      ephemeralTokenSecret: config.tokenSecret === undefined && config.dataDir === undefined,
      async close() {
        await callServer.close();
        await localSfu?.close();
      },
    };
  } catch (error) {
    await localSfu?.close();
    throw error;
  }
}
