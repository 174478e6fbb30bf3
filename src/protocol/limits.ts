// Size caps shared by the widget and the call server, so both sides agree on what is refused.

/** Largest presence frame the server accepts; a bigger one closes the socket with 1009. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** Room names, user ids and display names (LiveKit uses the same 256 cap). */
export const MAX_ROOM_LENGTH = 256;
export const MAX_USER_ID_LENGTH = 256;
export const MAX_NAME_LENGTH = 256;
/** A room token is a compact JWT; anything longer is not one of ours. */
export const MAX_TOKEN_LENGTH = 8192;
/** SFU identifiers: Cloudflare uses 32 hex chars, partytracks track names are UUIDs. */
export const MAX_SESSION_ID_LENGTH = 128;
export const MAX_TRACK_NAME_LENGTH = 128;
/** Most viewers one `audience-page` answer carries. */
export const MAX_AUDIENCE_PAGE = 200;
