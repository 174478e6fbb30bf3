// The opening every hand-written (widget-free) call page shares: a token from the demo endpoint, the presence
// socket with the token in its first frame, and a PartyTracks client on the call server's proxy. Used by the
// call-server end-to-end page and the join benchmark's bare-partytracks baseline.
import { PartyTracks } from 'partytracks/client';
import { encodeMessage } from '../../src/protocol/codec.js';
import type { ClientMessage } from '../../src/protocol/schemas.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';

export interface BareCall {
  readonly socket: WebSocket;
  readonly send: (message: ClientMessage) => void;
  readonly partyTracks: PartyTracks;
}

export async function openBareCall(room: string, name: string): Promise<BareCall> {
  const reply = await fetch('/api/call-token', {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ room, name }),
  });
  const { token, serverUrl } = (await reply.json()) as { token: string; serverUrl?: string };
  const server = new URL(serverUrl ?? location.origin);

  const socket = new WebSocket(
    `${server.protocol === 'https:' ? 'wss' : 'ws'}://${server.host}/rooms/${encodeURIComponent(room)}`,
  );
  const send = (message: ClientMessage) => socket.send(encodeMessage(message));
  socket.addEventListener('open', () => send({ v, type: 'join', token }));

  const partyTracks = new PartyTracks({
    iceServers: [],
    headers: new Headers({ Authorization: `Bearer ${token}` }),
    prefix: `${server.origin}/partytracks`,
  });
  return { socket, send, partyTracks };
}
