// Who is in a room before joining it, for the pre-join screen: one GET to the call server with the room token.
import * as v from 'valibot';
import { RoomLobbySchema, type RoomLobby } from '../protocol/schemas.js';

/** The room's participants, or undefined when the server can't say (an older server, a refusal, no network). */
export async function fetchLobby(
  serverUrl: string,
  room: string,
  token: string,
  signal?: AbortSignal,
): Promise<RoomLobby | undefined> {
  try {
    const response = await fetch(`${serverUrl}/rooms/${encodeURIComponent(room)}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal,
    });
    if (!response.ok) return undefined;
    const parsed = v.safeParse(RoomLobbySchema, await response.json());
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
