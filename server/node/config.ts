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
  /** Verifies room tokens; random per process when CALL_TOKEN_SECRET is unset. */
  readonly tokenSecret?: string;
  readonly demoTokenEndpoint: boolean;
  readonly allowedOrigins?: readonly string[];
  readonly sfu: SfuChoice;
}

export const DEFAULT_PORT = 8787;

const OFF = new Set(['0', 'false', 'off', 'no']);

/**
 * PORT (8787), HOST (127.0.0.1), CALL_TOKEN_SECRET, DEMO_TOKEN_ENDPOINT (on; "off" disables it),
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
  return {
    hostname: env.HOST?.trim() || '127.0.0.1',
    port,
    tokenSecret: env.CALL_TOKEN_SECRET || undefined,
    demoTokenEndpoint: !OFF.has((env.DEMO_TOKEN_ENDPOINT ?? 'on').trim().toLowerCase()),
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
