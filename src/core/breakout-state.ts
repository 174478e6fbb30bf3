// The breakout view of one page, from presence frames. Pure.
import { MAIN_ROOM_ID, type ServerMessageOf } from '../protocol/index.js';
import type { BreakoutPlace, BreakoutView } from './breakout-types.js';

const MAIN_ROOM_NAME = 'Main room';

/** The main room or a breakout room by id; an unknown id reads as the main room. */
export function placeOf(rooms: BreakoutView['rooms'], id: string): BreakoutPlace {
  if (id === MAIN_ROOM_ID) return { id, name: MAIN_ROOM_NAME };
  return rooms.find((room) => room.id === id) ?? { id: MAIN_ROOM_ID, name: MAIN_ROOM_NAME };
}

export const mainRoom: BreakoutPlace = { id: MAIN_ROOM_ID, name: MAIN_ROOM_NAME };

/** The view after a `breakouts` frame; `receivedAt` is this page's `Date.now()` when it arrived. */
export function breakoutView(
  message: ServerMessageOf<'breakouts'>,
  selfId: string | undefined,
  receivedAt: number,
): BreakoutView {
  const self = message.people.find((person) => person.id === selfId);
  return {
    phase: message.phase,
    rooms: message.rooms,
    people: message.people,
    allowReturn: message.allowReturn,
    ...(message.countdownMs !== undefined && { countdownEndsAt: receivedAt + message.countdownMs }),
    current: placeOf(message.rooms, self?.current ?? MAIN_ROOM_ID),
    assigned: placeOf(message.rooms, self?.assigned ?? MAIN_ROOM_ID),
    isHost: self?.canModerate ?? false,
  };
}
