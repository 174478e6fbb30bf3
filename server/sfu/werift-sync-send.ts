// werift sends every datagram with `socket.send(data, port, address)`. Node resolves that address first, and
// even for an IP literal its `dns.lookup` answers on the next tick: the datagram leaves only after the rest
// of the current handler has run. On the SFU that handler is the forwarding of what just arrived, so a chat
// message or an RTP packet waited for everything else werift did with the packet it came in with (the chat
// bench's hop through the SFU, kernel to kernel: ~1.1-1.3 ms p50 before, ~0.63 ms after; bench/README.md).
// Each werift UDP socket is made again, before it is bound, with a `lookup` that answers IP literals at once
// (the one public way to give dgram its own lookup); host names still go to `dns.lookup`, and so does the
// bind. The socket's `message` listener is moved over unchanged.
import { createSocket, type Socket, type SocketOptions, type SocketType } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { UdpTransport } from 'werift';
import { requireMethod } from './werift-guard.js';

interface UdpTransportInternals {
  socketType: SocketType;
  socket: Socket;
  init(): Promise<void>;
}

type DgramLookup = NonNullable<SocketOptions['lookup']>;

/** dgram's `lookup` option: IP literals answered synchronously, anything else by `dns.lookup`. */
export const literalFirstLookup: DgramLookup = (hostname, options, callback) => {
  const family = isIP(hostname);
  if (family !== 0) return callback(null, hostname, family);
  dnsLookup(hostname, options, callback);
};

let patched = false;

export function sendDatagramsAtOnce(): void {
  if (patched) return;
  const proto = UdpTransport.prototype as unknown as UdpTransportInternals;
  requireMethod(proto, 'init', 'UdpTransport');
  const init = proto.init;
  proto.init = function (this: UdpTransportInternals) {
    const old = this.socket;
    const listeners = old.listeners('message') as ((...args: unknown[]) => void)[];
    // Binding looks its address up too, and werift listens for 'listening' only after `bind()` returns.
    let bound = false;
    const socket = createSocket({
      type: this.socketType,
      lookup: (hostname, options, callback) =>
        bound ? literalFirstLookup(hostname, options, callback) : dnsLookup(hostname, options, callback),
    });
    socket.once('listening', () => (bound = true));
    for (const listener of listeners) socket.on('message', listener);
    old.close();
    this.socket = socket;
    return init.call(this);
  };
  patched = true;
}
