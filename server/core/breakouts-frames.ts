// The frames that tell people about breakout rooms: the plan as everyone sees it, and notices (a host's
// message to all rooms; a request for help, which only hosts get).
import type { Participant, ServerMessage, ServerMessageOf } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { BreakoutNotice, Breakouts } from './breakouts.js';
import type { ConnectionId, PresenceEffect } from './presence-effects.js';

/** The plan, the phase, the countdown, and where everyone in the call is and is going. */
export function breakoutsMessage(
  breakouts: Breakouts,
  everyone: readonly Participant[],
): ServerMessageOf<'breakouts'> {
  const countdownMs = breakouts.countdownMs();
  return {
    v: PROTOCOL_VERSION,
    type: 'breakouts',
    phase: breakouts.phase,
    rooms: [...breakouts.rooms],
    allowReturn: breakouts.allowReturn,
    people: everyone.map(({ id, name, canModerate }) => ({
      id,
      name,
      canModerate,
      assigned: breakouts.assignedTo(id),
      current: breakouts.roomOf(id),
    })),
    ...(countdownMs !== undefined && { countdownMs }),
  };
}

/** A message goes to every room; a call for help goes to the hosts, wherever they are. */
export function breakoutNoticeEffects(
  notice: BreakoutNotice,
  everyone: readonly (Participant & { readonly connectionId: ConnectionId })[],
): PresenceEffect[] {
  const message: ServerMessage = {
    v: PROTOCOL_VERSION,
    type: 'breakout-notice',
    kind: notice.kind,
    from: { id: notice.from.id, name: notice.from.name },
    roomId: notice.roomId,
    ...(notice.text !== undefined && { text: notice.text }),
  };
  const to = notice.kind === 'help' ? everyone.filter((p) => p.canModerate) : everyone;
  return to.map((p) => ({ type: 'send', to: p.connectionId, message }));
}
