// The one thing a runtime adapter (Node `ws`, a Durable Object's WebSocket) gives the presence core per socket.

export interface PresenceTransport {
  /** Sends a text frame if the socket is still open; otherwise does nothing. */
  send(text: string): void;
  /**
   * Optional: bytes accepted by `send` but not yet handed to the network (WebSocket `bufferedAmount`). Without
   * it the core cannot tell a client that stops reading, and only coalesces.
   */
  readonly bufferedAmount?: number;
  /** Starts the closing handshake. The adapter reports the end later through `PresenceConnection.ended()`. */
  close(code: number, reason: string): void;
  /**
   * Optional: sends a WebSocket ping; the adapter reports the pong through `PresenceConnection.touch()`.
   * Browsers answer pings even in throttled background tabs. Without it, a participant whose SFU session is
   * gone is removed only if already silent.
   */
  ping?(): void;
  /**
   * Optional: called once, when the socket's `join` frame was accepted. Adapters that cap unauthenticated
   * sockets per client address release the slot here.
   */
  joined?(): void;
}

/** A frame as the socket delivered it. Binary frames are refused; their bytes are never read. */
export type PresenceFrame = string | ArrayBuffer | ArrayBufferView;
