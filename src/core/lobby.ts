// Who is in a room before joining it, for the pre-join screen: one GET to the call server with the room token.
import { BehaviorSubject, type Observable } from 'rxjs';
import * as v from 'valibot';
import { RoomLobbySchema, type RoomLobby } from '../protocol/schemas.js';
import type { TokenLease } from './token-lease.js';

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

/** How often the pre-join screen looks at the room again, so people arriving while you wait show up. */
const REFRESH_MS = 4000;

/** Looks at the room before joining: the token the join will reuse, then who is in the room, every few seconds. */
export class LobbyPeek {
  readonly #lobby = new BehaviorSubject<RoomLobby | undefined>(undefined);
  #abort?: AbortController;

  readonly lobby$: Observable<RoomLobby | undefined> = this.#lobby.asObservable();

  /** Once until `stop()`: gets the room token (reported through `onError` when refused), then the room. */
  start(lease: TokenLease, room: string, onError: (error: unknown) => void): void {
    if (this.#abort) return;
    const abort = (this.#abort = new AbortController());
    const look = async (): Promise<void> => {
      const token = await lease.ensure();
      const lobby = await fetchLobby(token.serverUrl, room, token.token, abort.signal);
      if (abort.signal.aborted) return;
      this.#lobby.next(lobby);
      const timer = setTimeout(() => void look().catch(() => undefined), REFRESH_MS);
      abort.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    };
    look().catch((error: unknown) => {
      if (!abort.signal.aborted) onError(error);
    });
  }

  /** Abandons a look under way; what was seen stays until `clear()`. */
  stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
  }

  clear(): void {
    this.stop();
    this.#lobby.next(undefined);
  }
}
