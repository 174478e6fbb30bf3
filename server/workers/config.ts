// The Worker's configuration from its bindings (wrangler.jsonc `vars` and secrets). Pure: takes the env
// record, returns options, and throws a clear message for a missing secret.
import { CLOUDFLARE_REALTIME_API, CLOUDFLARE_STUN, type SfuUpstream } from '../http/sfu-upstream.js';
import type { TokenBucketOptions } from '../core/token-bucket.js';

/** The string-valued bindings the Worker reads; everything but the three secrets is optional. */
export interface WorkerVars {
  /** Cloudflare Realtime SFU app id and secret (`wrangler secret put`). */
  readonly CALLS_APP_ID?: string;
  readonly CALLS_APP_SECRET?: string;
  /** Verifies room tokens; the same secret the site's token endpoint signs with. At least 32 bytes. */
  readonly CALL_TOKEN_SECRET?: string;
  /** The SFU API base. Default Cloudflare's; development points it at the local SFU on 127.0.0.1. */
  readonly CALLS_API_BASE_URL?: string;
  /** Optional Cloudflare TURN key: generate-ice-servers then mints credentials. */
  readonly CALLS_TURN_KEY_ID?: string;
  readonly CALLS_TURN_KEY_API_TOKEN?: string;
  /** Comma-separated origins whose pages may use the server. Default: the Worker's own origin. */
  readonly ALLOWED_ORIGINS?: string;
  /** Comma-separated rooms anyone may watch over WHEP without a token (public broadcasts). Default none. */
  readonly PUBLIC_ROOMS?: string;
  /** "on" serves the DEVELOPMENT-ONLY token endpoint `/api/call-token`. Default off. */
  readonly DEMO_TOKEN_ENDPOINT?: string;
  /** Presence tuning: join timeout, sweep interval (0: no sweep alarm), heartbeat timeout, all in ms. */
  readonly PRESENCE_JOIN_TIMEOUT_MS?: string;
  readonly PRESENCE_SWEEP_INTERVAL_MS?: string;
  readonly PRESENCE_HEARTBEAT_TIMEOUT_MS?: string;
  /** "on" enables the room object's test hooks (clock, sweep). Only tests set it. */
  readonly TEST_HOOKS?: string;
}

export interface WorkerConfig {
  readonly tokenSecret: string;
  readonly upstream: SfuUpstream;
  /** Undefined: same origin only. */
  readonly allowedOrigins?: readonly string[];
  readonly demoTokenEndpoint: boolean;
  /** Rooms WHEP viewers may watch without a token. */
  readonly publicRooms: readonly string[];
  readonly presence: {
    readonly joinTimeoutMs: number;
    readonly sweepIntervalMs: number;
    readonly heartbeatTimeoutMs?: number;
  };
  /** `sessions/new` per user and room. */
  readonly sessionRate: TokenBucketOptions;
  readonly testHooks: boolean;
}

export function readWorkerConfig(env: WorkerVars): WorkerConfig {
  const required = (name: 'CALLS_APP_ID' | 'CALLS_APP_SECRET' | 'CALL_TOKEN_SECRET') => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`${name} is not set (wrangler secret put ${name})`);
    return value;
  };
  const realtimeApiBaseUrl = env.CALLS_API_BASE_URL?.trim() || CLOUDFLARE_REALTIME_API;
  const turnKeyId = env.CALLS_TURN_KEY_ID?.trim();
  const turnToken = env.CALLS_TURN_KEY_API_TOKEN?.trim();
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const origins = list(env.ALLOWED_ORIGINS);
  return {
    tokenSecret: required('CALL_TOKEN_SECRET'),
    upstream: {
      appId: required('CALLS_APP_ID'),
      appSecret: required('CALLS_APP_SECRET'),
      realtimeApiBaseUrl,
      ...(turnKeyId && turnToken ? { turn: { keyId: turnKeyId, apiToken: turnToken } } : {}),
      // A local SFU on loopback gets no public STUN server, as with `npm start`.
      staticIceServers: isLoopback(realtimeApiBaseUrl) ? [] : CLOUDFLARE_STUN,
    },
    allowedOrigins: origins.length ? origins : undefined,
    publicRooms: list(env.PUBLIC_ROOMS),
    demoTokenEndpoint: env.DEMO_TOKEN_ENDPOINT?.trim().toLowerCase() === 'on',
    presence: {
      joinTimeoutMs: milliseconds(env.PRESENCE_JOIN_TIMEOUT_MS, 10_000),
      sweepIntervalMs: milliseconds(env.PRESENCE_SWEEP_INTERVAL_MS, 30_000),
      heartbeatTimeoutMs: env.PRESENCE_HEARTBEAT_TIMEOUT_MS
        ? milliseconds(env.PRESENCE_HEARTBEAT_TIMEOUT_MS, 90_000)
        : undefined,
    },
    sessionRate: { capacity: 20, refillPerSecond: 1 },
    testHooks: env.TEST_HOOKS === 'on',
  };
}

function milliseconds(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`expected milliseconds, got "${value}"`);
  return ms;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}
