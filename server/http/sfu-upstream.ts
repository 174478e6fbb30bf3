// Where the proxy sends SFU calls, and with which credentials. The secret stays on the server.

export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

export interface SfuUpstream {
  readonly appId: string;
  /** The SFU app secret (Cloudflare "app token"). Sent upstream only, never to a browser. */
  readonly appSecret: string;
  /** e.g. `https://rtc.live.cloudflare.com/v1`, or the local SFU's `${baseUrl}/v1`. */
  readonly realtimeApiBaseUrl: string;
  /** Cloudflare TURN key; when set, `generate-ice-servers` mints credentials that expire with the room token. */
  readonly turn?: { readonly keyId: string; readonly apiToken: string };
  /** Answer to `generate-ice-servers` when there is no TURN key. `[]` for the local SFU (no public STUN). */
  readonly staticIceServers: readonly IceServer[];
}

/** The STUN servers partytracks hands out by default; only for Cloudflare without a TURN key. */
export const CLOUDFLARE_STUN: readonly IceServer[] = [
  { urls: ['stun:stun.cloudflare.com:3478', 'stun:stun.cloudflare.com:53'] },
];

export const CLOUDFLARE_REALTIME_API = 'https://rtc.live.cloudflare.com/v1';
