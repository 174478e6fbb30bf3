// The breakout rooms of one call: the plan (rooms, assignments), the phase and its countdown, and where each
// participant is now. Pure: RoomPresence feeds it requests and the time, and turns its outcomes (moves,
// notices) into frames. Host rights are checked here, against the token's `canModerate`, never the client's word.
import {
  MAIN_ROOM_ID,
  type BreakoutPhase,
  type BreakoutRequest,
  type BreakoutRoom,
} from '../../src/protocol/breakout-schemas.js';
import { PresenceErrorCode } from '../../src/protocol/error-codes.js';
import type { Participant } from '../../src/protocol/schemas.js';

/** Closing gives everyone this long to finish a sentence unless the host says otherwise. */
export const DEFAULT_CLOSE_COUNTDOWN_SECONDS = 10;

export interface BreakoutNotice {
  readonly kind: 'message' | 'help';
  readonly from: Participant;
  readonly roomId: string;
  readonly text?: string;
}

export interface BreakoutMove {
  readonly userId: string;
  readonly from: string;
  readonly to: string;
}

/** What a request or the clock changed. */
export interface BreakoutOutcome {
  /** In order; RoomPresence re-scopes each mover's presence. */
  readonly moves: readonly BreakoutMove[];
  readonly notices: readonly BreakoutNotice[];
  /** The plan everyone sees changed: send it again. */
  readonly changed: boolean;
  /** A countdown started: call `due()` again this much later. */
  readonly wakeInMs?: number;
}

export type BreakoutResult =
  | ({ readonly ok: true } & BreakoutOutcome)
  | { readonly ok: false; readonly code: PresenceErrorCode; readonly message: string };

/**
 * The whole breakout state as a runtime that can lose its memory (a Durable Object) saves it: plain JSON.
 * `deadline` is on the room's clock, so a countdown that ran out while the memory was gone ends on restore.
 */
export interface BreakoutsSnapshot {
  readonly rooms: readonly BreakoutRoom[];
  readonly phase: BreakoutPhase;
  readonly allowReturn: boolean;
  readonly deadline?: number;
  readonly nextRoomNumber: number;
  /** [user id, room id]: the plan. */
  readonly assigned: readonly (readonly [string, string])[];
  /** [user id, room id]: where each user is now, when not in the main room. */
  readonly current: readonly (readonly [string, string])[];
}

const nothing: BreakoutOutcome = { moves: [], notices: [], changed: false };
const refuse = (code: PresenceErrorCode, message: string): BreakoutResult => ({ ok: false, code, message });

export class Breakouts {
  #rooms: BreakoutRoom[] = [];
  #phase: BreakoutPhase = 'closed';
  #allowReturn = false;
  /** When the running countdown ends (clock ms). */
  #deadline?: number;
  #nextRoomNumber = 1;
  /** The plan: user id → room id. Kept across reconnects. */
  readonly #assigned = new Map<string, string>();
  /** Where each user is now; absent means the main room. Kept across reconnects, so a rejoin lands there. */
  readonly #current = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  get phase(): BreakoutPhase {
    return this.#phase;
  }

  get rooms(): readonly BreakoutRoom[] {
    return this.#rooms;
  }

  get allowReturn(): boolean {
    return this.#allowReturn;
  }

  /** Whether any breakout exists (then joiners are told the plan). */
  get active(): boolean {
    return this.#rooms.length > 0;
  }

  /** Time left of the running countdown, if any. */
  countdownMs(): number | undefined {
    return this.#deadline === undefined ? undefined : Math.max(0, this.#deadline - this.now());
  }

  roomOf(userId: string): string {
    return this.#current.get(userId) ?? MAIN_ROOM_ID;
  }

  assignedTo(userId: string): string {
    return this.#assigned.get(userId) ?? MAIN_ROOM_ID;
  }

  /** Whether two users see each other now: presence, and what the proxy lets one pull of the other. */
  together(a: string, b: string): boolean {
    return this.roomOf(a) === this.roomOf(b);
  }

  /** Everything needed to rebuild this state with `restore` (a copy: later changes do not touch it). */
  snapshot(): BreakoutsSnapshot {
    return {
      rooms: this.#rooms.map((room) => ({ ...room })),
      phase: this.#phase,
      allowReturn: this.#allowReturn,
      ...(this.#deadline !== undefined && { deadline: this.#deadline }),
      nextRoomNumber: this.#nextRoomNumber,
      assigned: [...this.#assigned],
      current: [...this.#current],
    };
  }

  /**
   * Puts a snapshot back in place of the current state. A countdown keeps its deadline: the caller calls
   * `due()` after `countdownMs()` (at once if it ran out meanwhile).
   */
  restore(snapshot: BreakoutsSnapshot): void {
    this.#rooms = snapshot.rooms.map((room) => ({ ...room }));
    this.#phase = snapshot.phase;
    this.#allowReturn = snapshot.allowReturn;
    this.#deadline = snapshot.deadline;
    this.#nextRoomNumber = snapshot.nextRoomNumber;
    this.#assigned.clear();
    for (const [userId, roomId] of snapshot.assigned) this.#assigned.set(userId, roomId);
    this.#current.clear();
    for (const [userId, roomId] of snapshot.current) this.#current.set(userId, roomId);
  }

  /** Handles a request from `actor`; `present` is everyone in the call now (all rooms). */
  request(actor: Participant, request: BreakoutRequest, present: readonly Participant[]): BreakoutResult {
    switch (request.action) {
      case 'join-now':
        return this.#joinNow(actor);
      case 'help':
        return {
          ok: true,
          ...nothing,
          notices: [{ kind: 'help', from: actor, roomId: this.roomOf(actor.id) }],
        };
      case 'return':
        return this.#return(actor);
    }
    if (!actor.canModerate) {
      return refuse(PresenceErrorCode.forbidden, 'only a host can manage breakout rooms');
    }
    switch (request.action) {
      case 'configure':
        return this.#configure(request.rooms, request.allowReturn);
      case 'rename':
        return this.#rename(request.roomId, request.name);
      case 'assign':
        return this.#assign(request.participantId, request.roomId, present);
      case 'shuffle':
        return this.#shuffle(present);
      case 'open':
        return this.#open(request.countdownSeconds ?? 0, present);
      case 'close':
        return this.#close(request.countdownSeconds ?? DEFAULT_CLOSE_COUNTDOWN_SECONDS);
      case 'broadcast':
        return {
          ok: true,
          ...nothing,
          notices: [{ kind: 'message', from: actor, roomId: this.roomOf(actor.id), text: request.text }],
        };
    }
  }

  /** Ends a countdown that is due; asks to be woken again if it is not yet. */
  due(present: readonly Participant[]): BreakoutOutcome {
    const left = this.countdownMs();
    if (left === undefined) return nothing;
    // Timers may fire a little early; a countdown is only a few seconds either way.
    if (left > 50) return { ...nothing, wakeInMs: left };
    this.#deadline = undefined;
    if (this.#phase === 'opening') return this.#openNow(present);
    if (this.#phase === 'closing') return this.#closeNow();
    return nothing;
  }

  #configure(names: readonly string[], allowReturn = this.#allowReturn): BreakoutResult {
    if (this.#phase !== 'closed') {
      return refuse(PresenceErrorCode.badRequest, 'close the breakout rooms before changing them');
    }
    // Keep the ids of the first rooms, so assignments survive adding one more room.
    const rooms = names.map((name, index) => ({
      id: this.#rooms[index]?.id ?? `room-${this.#nextRoomNumber++}`,
      name,
    }));
    this.#rooms = rooms;
    this.#allowReturn = allowReturn;
    for (const [userId, roomId] of this.#assigned) if (!this.#exists(roomId)) this.#assigned.delete(userId);
    return { ok: true, ...nothing, changed: true };
  }

  #rename(roomId: string, name: string): BreakoutResult {
    const room = this.#rooms.find((r) => r.id === roomId);
    if (!room) return refuse(PresenceErrorCode.badRequest, 'no such breakout room');
    this.#rooms = this.#rooms.map((r) => (r === room ? { ...r, name } : r));
    return { ok: true, ...nothing, changed: true };
  }

  #assign(userId: string, roomId: string, present: readonly Participant[]): BreakoutResult {
    if (roomId !== MAIN_ROOM_ID && !this.#exists(roomId)) {
      return refuse(PresenceErrorCode.badRequest, 'no such breakout room');
    }
    if (!present.some((p) => p.id === userId)) {
      return refuse(PresenceErrorCode.badRequest, 'that participant is not in the call');
    }
    if (roomId === MAIN_ROOM_ID) this.#assigned.delete(userId);
    else this.#assigned.set(userId, roomId);
    // While open, the plan is where people are: a changed assignment moves them now.
    const moves = this.#phase === 'open' ? this.#moveTo(userId, roomId) : [];
    return { ok: true, ...nothing, moves, changed: true };
  }

  #shuffle(present: readonly Participant[]): BreakoutResult {
    if (this.#rooms.length === 0) return refuse(PresenceErrorCode.badRequest, 'create breakout rooms first');
    const people = present.filter((p) => !p.canModerate).map((p) => p.id);
    // Fisher–Yates, then deal round-robin: room sizes differ by at most one.
    for (let i = people.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [people[i], people[j]] = [people[j]!, people[i]!];
    }
    const moves: BreakoutMove[] = [];
    people.forEach((userId, index) => {
      const roomId = this.#rooms[index % this.#rooms.length]!.id;
      this.#assigned.set(userId, roomId);
      if (this.#phase === 'open') moves.push(...this.#moveTo(userId, roomId));
    });
    return { ok: true, ...nothing, moves, changed: true };
  }

  #open(countdownSeconds: number, present: readonly Participant[]): BreakoutResult {
    if (this.#rooms.length === 0) return refuse(PresenceErrorCode.badRequest, 'create breakout rooms first');
    if (this.#phase === 'open' || this.#phase === 'opening') {
      return refuse(PresenceErrorCode.badRequest, 'the breakout rooms are already open');
    }
    if (countdownSeconds === 0) return { ok: true, ...this.#openNow(present) };
    this.#phase = 'opening';
    this.#deadline = this.now() + countdownSeconds * 1000;
    return { ok: true, ...nothing, changed: true, wakeInMs: countdownSeconds * 1000 };
  }

  #openNow(present: readonly Participant[]): BreakoutOutcome {
    this.#phase = 'open';
    this.#deadline = undefined;
    const moves = present.flatMap((p) => this.#moveTo(p.id, this.assignedTo(p.id)));
    return { ...nothing, moves, changed: true };
  }

  #close(countdownSeconds: number): BreakoutResult {
    if (this.#phase === 'closed')
      return refuse(PresenceErrorCode.badRequest, 'the breakout rooms are not open');
    if (this.#phase === 'opening' || countdownSeconds === 0) return { ok: true, ...this.#closeNow() };
    if (this.#phase === 'closing') return { ok: true, ...nothing };
    this.#phase = 'closing';
    this.#deadline = this.now() + countdownSeconds * 1000;
    return { ok: true, ...nothing, changed: true, wakeInMs: countdownSeconds * 1000 };
  }

  #closeNow(): BreakoutOutcome {
    this.#phase = 'closed';
    this.#deadline = undefined;
    const moves = [...this.#current.keys()].flatMap((userId) => this.#moveTo(userId, MAIN_ROOM_ID));
    return { ...nothing, moves, changed: true };
  }

  #joinNow(actor: Participant): BreakoutResult {
    if (this.#phase !== 'opening' && this.#phase !== 'open') {
      return refuse(PresenceErrorCode.badRequest, 'the breakout rooms are not open');
    }
    const moves = this.#moveTo(actor.id, this.assignedTo(actor.id));
    return { ok: true, ...nothing, moves, changed: moves.length > 0 };
  }

  #return(actor: Participant): BreakoutResult {
    const allowed = this.#allowReturn || actor.canModerate || this.#phase === 'closing';
    if (!allowed) return refuse(PresenceErrorCode.forbidden, 'the host has not allowed going back early');
    const moves = this.#moveTo(actor.id, MAIN_ROOM_ID);
    return { ok: true, ...nothing, moves, changed: moves.length > 0 };
  }

  #moveTo(userId: string, to: string): BreakoutMove[] {
    const from = this.roomOf(userId);
    if (from === to) return [];
    if (to === MAIN_ROOM_ID) this.#current.delete(userId);
    else this.#current.set(userId, to);
    return [{ userId, from, to }];
  }

  #exists(roomId: string): boolean {
    return this.#rooms.some((room) => room.id === roomId);
  }
}
