// Breakout views for stories and screenshots: a host with two rooms open, and a participant being moved.
import type { BreakoutView } from '../../src/core/breakout-types.js';
import { FakeBreakouts } from '../../src/testing/fake-breakouts.js';

const rooms = [
  { id: 'room-1', name: 'Design review' },
  { id: 'room-2', name: 'Roadmap' },
];
const people = [
  { id: 'local', name: 'Hana Sato', canModerate: true, assigned: 'main', current: 'main' },
  { id: 'p1', name: 'Amara Okafor', canModerate: false, assigned: 'room-1', current: 'room-1' },
  { id: 'p2', name: 'Bjørn Larsen', canModerate: false, assigned: 'room-1', current: 'room-1' },
  { id: 'p3', name: 'Chen Wei', canModerate: false, assigned: 'room-2', current: 'room-2' },
  { id: 'p4', name: 'Dana Cohen', canModerate: false, assigned: 'room-2', current: 'room-2' },
];

/** The host, in the main room, with both rooms open; someone in Roadmap asked for help. */
export function hostWithRoomsOpen(): FakeBreakouts {
  const breakouts = new FakeBreakouts({
    isHost: true,
    view: {
      phase: 'open',
      rooms,
      people,
      allowReturn: true,
      current: { id: 'main', name: 'Main room' },
      assigned: { id: 'main', name: 'Main room' },
      isHost: true,
    },
  });
  queueMicrotask(() =>
    breakouts.notify({
      kind: 'help',
      from: { id: 'p3', name: 'Chen Wei' },
      room: rooms[1]!,
      at: Date.now(),
    }),
  );
  return breakouts;
}

/** A participant whose room opens in a few seconds (`going`), or who is in it (`in-room`). */
export function participantMoving(step: 'going' | 'in-room'): FakeBreakouts {
  const view: BreakoutView = {
    phase: step === 'going' ? 'opening' : 'open',
    rooms,
    people: people.map((p) => (step === 'going' ? { ...p, current: 'main' } : p)),
    allowReturn: true,
    ...(step === 'going' && { countdownEndsAt: Date.now() + 8_000 }),
    current: step === 'going' ? { id: 'main', name: 'Main room' } : rooms[0]!,
    assigned: rooms[0]!,
    isHost: false,
  };
  const breakouts = new FakeBreakouts({ view });
  if (step === 'in-room') {
    queueMicrotask(() =>
      breakouts.notify({
        kind: 'message',
        from: { id: 'local', name: 'Hana Sato' },
        room: { id: 'main', name: 'Main room' },
        text: 'Five minutes left, then we meet back in the main room.',
        at: Date.now(),
      }),
    );
  }
  return breakouts;
}
