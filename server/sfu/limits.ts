// Limits and timings, Cloudflare's where it publishes them (shared/docs/calls-api.md §2.11).

/** Largest request body accepted (413 above it). SDP rarely exceeds 20 KB. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Cloudflare: at most 64 tracks per call. */
export const MAX_TRACKS_PER_CALL = 64;
/** Sessions keep rejected m-lines forever, so allow many, but not thousands. */
export const MAX_MEDIA_SECTIONS = 256;
/** Cloudflare garbage-collects a track that received no media for 30 s. */
export const TRACK_IDLE_MS = 30_000;
/** A pull waits this long for the publisher's first packet before `empty_track_error`. */
export const PULL_MEDIA_WAIT_MS = 5_000;
/** A session that never connects is dropped after this long. */
export const UNCONNECTED_SESSION_MS = 60_000;
/** A failed/closed/disconnected session is dropped if it does not recover within this time. */
export const DEAD_SESSION_GRACE_MS = 5_000;
/** No STUN or media from the browser for this long means the peer is gone (Chrome pings every ~2.5 s). */
export const SILENT_SESSION_MS = 12_000;
/** How often the garbage collector looks, while any session exists. */
export const GC_INTERVAL_MS = 1_000;
/** At most one keyframe request per layer in this window (Chrome needs a few hundred ms to encode one). */
export const PLI_THROTTLE_MS = 250;
/** While a subscriber waits for a keyframe, repeat the request this often. */
export const KEYFRAME_RETRY_MS = 600;
/** A kept keyframe older than this is not sent to a subscriber that just connected: it waits for a new one. */
export const PREROLL_MAX_MS = 400;
/** At most this many packets are kept per subscriber while it connects (a few frames at 720p). */
export const PREROLL_MAX_PACKETS = 200;
/** A simulcast layer with no packet for this long counts as paused. */
export const LAYER_STALE_MS = 1_500;
/** Largest DataChannel message the SFU forwards, advertised as `a=max-message-size` (werift's default). */
export const MAX_DATA_CHANNEL_MESSAGE_BYTES = 64 * 1024;
/** Channels per session follow the media limit (Cloudflare sets no number for either). */
export const MAX_DATA_CHANNELS_PER_SESSION = MAX_MEDIA_SECTIONS;
/** A `waitForAck` subscriber that sends nothing for this long is torn down (Cloudflare's limits page). */
export const DATA_CHANNEL_ACK_TIMEOUT_MS = 30_000;
