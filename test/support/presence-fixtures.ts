// Helpers for presence tests: tokens, claims, a manual clock, and effect filters.
import {
  createCallToken,
  type CallTokenClaims,
  type CreateCallTokenOptions,
} from '../../server/core/call-token.js';
import type { Clock } from '../../server/core/clock.js';
import type { PresenceEffect } from '../../server/core/presence-effects.js';
import type { ServerMessage, ServerMessageOf, ServerMessageType } from '../../src/protocol/schemas.js';
import { TEST_TOKEN_SECRET } from './test-secrets.js';

/** A room token signed with the test secret, allowed to publish unless `overrides` say otherwise. */
export function testToken(
  room: string,
  userId: string,
  now: Clock,
  overrides: Partial<CreateCallTokenOptions> = {},
): Promise<string> {
  return createCallToken({ secret: TEST_TOKEN_SECRET, room, userId, canPublish: true, now, ...overrides });
}

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
