// `GET /rooms/:room` without a WebSocket upgrade: who is in the room, for a pre-join screen. Needs the room's
// token (any valid one: subscribing or publishing), and reading it joins nothing.
import type { RoomLobby } from '../../src/protocol/schemas.js';
import { CallTokenError, verifyCallToken } from '../core/call-token.js';
import type { Clock } from '../core/clock.js';
import { isValidRoomName } from '../core/room-name.js';
import { bearerToken } from './bearer-token.js';
import { jsonError } from './json-error.js';

/** Who is in a room right now; an unknown room is an empty one. (On Workers: the room's object, over RPC.) */
export interface LobbyLookup {
  lobby(room: string): RoomLobby | Promise<RoomLobby>;
}

export interface LobbyRouteOptions {
  readonly tokenSecret: string;
  readonly now: Clock;
  readonly rooms: LobbyLookup;
}

export function createLobbyRoute(
  options: LobbyRouteOptions,
): (request: Request, room: string) => Promise<Response> {
  return async (request, room) => {
    if (!isValidRoomName(room)) return jsonError(404, 'not_found', 'unknown room path');
    const token = bearerToken(request);
    if (!token) return jsonError(401, 'unauthorized', 'send the room token as Authorization: Bearer <token>');
    try {
      await verifyCallToken(token, { secret: options.tokenSecret, room, now: options.now });
    } catch (error) {
      if (error instanceof CallTokenError && error.code === 'room-mismatch') {
        return jsonError(403, 'forbidden', 'the token is for another room');
      }
      const description = error instanceof CallTokenError ? error.message : 'token is not a valid call token';
      return jsonError(401, 'unauthorized', description);
    }
    return Response.json(await options.rooms.lobby(room), { headers: { 'cache-control': 'no-store' } });
  };
}
