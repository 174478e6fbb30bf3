// PresenceTransport over a Durable Object's hibernatable WebSocket. It has no `bufferedAmount`: workerd's
// WebSocket does not say what it still holds for the client. The presence outbox therefore never sees this
// socket over its byte cap: each flush writes everything waiting (state changes waiting for the same flush
// are still coalesced), and its slow-reader close (4429) does not happen here; a client that stops reading
// leaves its frames in the runtime's buffer, not the isolate's heap.
import type { PresenceTransport } from '../core/presence-transport.js';

export function socketTransport(ws: WebSocket): PresenceTransport {
  return {
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    close: (code, reason) => {
      try {
        ws.close(code, reason);
      } catch {
        // Already closing: the runtime reports the end through webSocketClose.
      }
    },
  };
}
