// `npm start` configuration from environment variables. Pure: takes the env record, returns options.
import { CLOUDFLARE_REALTIME_API } from '../http/sfu-upstream.js';

export type SfuChoice =
  | { readonly kind: 'local' }
  | {
      readonly kind: 'cloudflare';
      readonly appId: string;
      readonly appSecret: string;
      readonly realtimeApiBaseUrl: string;
      readonly turn?: { readonly keyId: string; readonly apiToken: string };
    };

export interface DevStackConfig {
  readonly hostname: string;
  readonly port: number;
  /**
   * Verifies room tokens. When CALL_TOKEN_SECRET is unset: the secret kept in `dataDir`, or a random one per
   * process without a data folder.
   */
  readonly tokenSecret?: string;
  /** On by default only when the server binds a loopback address; DEMO_TOKENS=1 turns it on anywhere. */
  readonly demoTokenEndpoint: boolean;
  /** Where the development server keeps state across restarts (its generated token secret). */
  readonly dataDir?: string;
  /** SFU calls slower than this get 504 `upstream_timeout`. Default (unset) 10 s. */
  readonly upstreamTimeoutMs?: number;
  readonly allowedOrigins?: readonly string[];
  readonly sfu: SfuChoice;
}

export const DEFAULT_PORT = 8787;

const OFF = new Set(['0', 'false', 'off', 'no']);
const ON = new Set(['1', 'true', 'on', 'yes']);

/** True for addresses only this machine can reach. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** DEMO_TOKENS wins over its older name DEMO_TOKEN_ENDPOINT; unset, the endpoint is on only on loopback. */
function readDemoTokens(env: Record<string, string | undefined>, hostname: string): boolean {
  const [name, raw] =
    env.DEMO_TOKENS !== undefined && env.DEMO_TOKENS.trim() !== ''
      ? ['DEMO_TOKENS', env.DEMO_TOKENS]
      : ['DEMO_TOKEN_ENDPOINT', env.DEMO_TOKEN_ENDPOINT];
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '') return isLoopbackHost(hostname);
  if (ON.has(value)) return true;
  if (OFF.has(value)) return false;
  throw new Error(`${name} must be 1/on or 0/off, got "${raw}"`);
}

/**
 * PORT (8787), HOST (127.0.0.1), CALL_TOKEN_SECRET, DEMO_TOKENS or DEMO_TOKEN_ENDPOINT (1/on, 0/off; default on
 * only when HOST is a loopback address), DATA_DIR (where a generated token secret is kept across restarts),
 * SFU_TIMEOUT_MS (10 000: SFU calls slower than this get 504),
 * ALLOWED_ORIGINS (comma-separated; default this server's own origin), CALLS_APP_ID + CALLS_APP_SECRET
 * (use Cloudflare instead of the local SFU), CALLS_TURN_KEY_ID + CALLS_TURN_KEY_API_TOKEN (optional TURN),
 * CALLS_API_BASE_URL (override the Cloudflare API URL).
 */
export function readDevStackConfig(env: Record<string, string | undefined>): DevStackConfig {
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const appId = env.CALLS_APP_ID?.trim();
  const appSecret = env.CALLS_APP_SECRET?.trim();
  if (Boolean(appId) !== Boolean(appSecret))
    throw new Error('set both CALLS_APP_ID and CALLS_APP_SECRET, or neither');
  const turnKeyId = env.CALLS_TURN_KEY_ID?.trim();
  const turnToken = env.CALLS_TURN_KEY_API_TOKEN?.trim();
  const origins = env.ALLOWED_ORIGINS?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const hostname = env.HOST?.trim() || '127.0.0.1';
  const timeout = env.SFU_TIMEOUT_MS?.trim();
  const upstreamTimeoutMs = timeout ? Number(timeout) : undefined;
  if (upstreamTimeoutMs !== undefined && !(Number.isInteger(upstreamTimeoutMs) && upstreamTimeoutMs > 0))
    throw new Error(`SFU_TIMEOUT_MS must be a number of milliseconds, got "${env.SFU_TIMEOUT_MS}"`);
  const dataDir = env.DATA_DIR?.trim();
  return {
    hostname,
    port,
    tokenSecret: env.CALL_TOKEN_SECRET || undefined,
    demoTokenEndpoint: readDemoTokens(env, hostname),
    ...(dataDir ? { dataDir } : {}),
    ...(upstreamTimeoutMs ? { upstreamTimeoutMs } : {}),
    allowedOrigins: origins?.length ? origins : undefined,
    sfu:
      appId && appSecret
        ? {
            kind: 'cloudflare',
            appId,
            appSecret,
            realtimeApiBaseUrl: env.CALLS_API_BASE_URL?.trim() || CLOUDFLARE_REALTIME_API,
            ...(turnKeyId && turnToken ? { turn: { keyId: turnKeyId, apiToken: turnToken } } : {}),
          }
        : { kind: 'local' },
  };
}
