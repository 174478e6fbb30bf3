// PresenceTransport over a Durable Object's hibernatable WebSocket. Per-socket state the core may ask for
// later (a `bufferedAmount` getter, say) belongs here, next to send and close.
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
