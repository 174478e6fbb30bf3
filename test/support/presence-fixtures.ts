// Helpers for presence tests: claims, a manual clock, and effect filters.
import type { CallTokenClaims } from '../../server/core/call-token.js';
import type { PresenceEffect } from '../../server/core/presence-effects.js';
import type { ServerMessage, ServerMessageOf, ServerMessageType } from '../../src/protocol/schemas.js';

export function claimsFor(userId: string, overrides: Partial<CallTokenClaims> = {}): CallTokenClaims {
  return {
    userId,
    room: 'A',
    name: userId.toUpperCase(),
    canPublish: true,
    canSubscribe: true,
    canModerate: false,
    expiresAt: Number.MAX_SAFE_INTEGER,
    ...overrides,
  };
}

/** A clock that only moves when told to. */
export class ManualClock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  readonly now = () => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Messages sent to one connection, in order. */
export function sentTo(effects: PresenceEffect[], connectionId: string): ServerMessage[] {
  return effects.flatMap((e) => (e.type === 'send' && e.to === connectionId ? [e.message] : []));
}

/** The first message of a type sent to one connection, or undefined. */
export function findSent<T extends ServerMessageType>(
  effects: PresenceEffect[],
  connectionId: string,
  type: T,
): ServerMessageOf<T> | undefined {
  return sentTo(effects, connectionId).find((m): m is ServerMessageOf<T> => m.type === type);
}

export function closesOf(effects: PresenceEffect[]) {
  return effects.flatMap((e) => (e.type === 'close' ? [{ to: e.to, code: e.code }] : []));
}
