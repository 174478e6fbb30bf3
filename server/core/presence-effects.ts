// What the presence state machine asks its adapter to do. The core never touches a socket itself.
import type { PresenceCloseCode } from '../../src/protocol/close-codes.js';
import type { ServerMessage } from '../../src/protocol/schemas.js';

/** Opaque id the adapter gives each socket. */
export type ConnectionId = string;

export type PresenceEffect =
  | { readonly type: 'send'; readonly to: ConnectionId; readonly message: ServerMessage }
  | {
      readonly type: 'close';
      readonly to: ConnectionId;
      readonly code: PresenceCloseCode;
      readonly reason: string;
    }
  /** Call `room.wake()` after `inMs` (a breakout countdown); the adapter's schedule runs it. */
  | { readonly type: 'wake'; readonly room: string; readonly inMs: number }
  /** Run `run` after `ms` and carry out what it returns: how a room throttles what it sends (the viewer count). */
  | { readonly type: 'after'; readonly ms: number; readonly run: () => PresenceEffect[] };
