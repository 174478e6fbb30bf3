import { MAX_ROOM_LENGTH, MAX_USER_ID_LENGTH } from '../../src/protocol/limits.js';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Room names are opaque to us, but bounded and free of control characters (they end up in URLs and logs). */
export function isValidRoomName(room: string): boolean {
  return room.length > 0 && room.length <= MAX_ROOM_LENGTH && !CONTROL_CHARACTERS.test(room);
}

/** User ids follow the same rule. */
export function isValidUserId(userId: string): boolean {
  return userId.length > 0 && userId.length <= MAX_USER_ID_LENGTH && !CONTROL_CHARACTERS.test(userId);
}
