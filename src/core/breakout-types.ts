import type { Observable } from 'rxjs';
import type { BreakoutPerson, BreakoutPhase, BreakoutRoom } from '../protocol/index.js';

/** A room of the call: the main room (`id` `main`) or one of its breakout rooms. */
export interface BreakoutPlace {
  readonly id: string;
  readonly name: string;
}

/** The breakout rooms as this page sees them, from the server's latest word. */
export interface BreakoutView {
  readonly phase: BreakoutPhase;
  readonly rooms: readonly BreakoutRoom[];
  /** Everyone in the call, in every room. */
  readonly people: readonly BreakoutPerson[];
  readonly allowReturn: boolean;
  /** When the running countdown (opening or closing) ends, as `Date.now()` on this page. */
  readonly countdownEndsAt?: number;
  /** Where this page's participant is now. */
  readonly current: BreakoutPlace;
  /** Where the plan puts this page's participant (`main` when unassigned). */
  readonly assigned: BreakoutPlace;
  /** May use the host actions (the token's `canModerate`). */
  readonly isHost: boolean;
}

/** A host's message to every room, or (for hosts) a participant asking for help. */
export interface BreakoutNoticeEntry {
  readonly kind: 'message' | 'help';
  readonly from: { readonly id: string; readonly name: string };
  readonly room: BreakoutPlace;
  readonly text?: string;
  /** `Date.now()` when it arrived. */
  readonly at: number;
}

/**
 * Breakout rooms for a custom UI. Host actions are checked by the server against the token's `canModerate`;
 * a refused one comes back on the session's `errors$`. A move keeps the call's PeerConnection, SFU session and
 * published tracks: only who you see and hear changes.
 */
export interface CallBreakouts {
  /** The plan and where you are; undefined until a host creates breakout rooms. */
  readonly view$: Observable<BreakoutView | undefined>;
  /** Where you are now (the main room until moved). */
  readonly current$: Observable<BreakoutPlace>;
  /** Messages from hosts, and (for hosts) calls for help, as they arrive. */
  readonly notices$: Observable<BreakoutNoticeEntry>;
  /** Whether your token lets you manage breakout rooms (`canModerate`), from the server's hello. */
  readonly isHost$: Observable<boolean>;
  /** Host: replaces the rooms (while closed) with one per name. */
  create(names: readonly string[], options?: { allowReturn?: boolean }): void;
  /** Host: renames a room, at any time. */
  rename(roomId: string, name: string): void;
  /** Host: plans a participant into a room (`main` unassigns); while open, moves them at once. */
  assign(participantId: string, roomId: string): void;
  /** Host: spreads everyone but the hosts evenly over the rooms. */
  shuffle(): void;
  /** Host: opens the rooms, after `countdownSeconds` (0: now). */
  open(countdownSeconds?: number): void;
  /** Host: everyone returns to the main room after `countdownSeconds` (default 10). */
  close(countdownSeconds?: number): void;
  /** Host: a message to every room. */
  broadcast(text: string): void;
  /** Go to your assigned room now, before the opening countdown ends. */
  joinNow(): void;
  /** Tell the hosts you need help. */
  askForHelp(): void;
  /** Back to the main room, if the host allows it (or the rooms are closing). */
  returnToMain(): void;
}
