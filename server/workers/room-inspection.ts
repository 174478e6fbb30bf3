// What a Room object reports about itself (its `inspect()` RPC), for tests and operators. Free of Workers
// types, so Node code can import it.

/** What the room object reports about itself, for tests and operators. */
export interface RoomInspection {
  readonly participants: number;
  readonly sockets: number;
  /** Callbacks waiting for the alarm: join timeouts, and each socket's token-expiry deadline. */
  readonly pendingCallbacks: number;
  /** How soon the earliest of them is due, in ms; undefined when none waits. */
  readonly nextCallbackInMs?: number;
  /** How many times the object has been constructed, and when it last was (ms since the epoch). */
  readonly wakes: number;
  readonly wokeAt: number;
  /** Frames this instance handled itself (auto-answered pings never count). */
  readonly framesHandled: number;
  /** WHIP streams and WHEP viewers this room's object serves. */
  readonly streams: number;
  readonly viewers: number;
}
