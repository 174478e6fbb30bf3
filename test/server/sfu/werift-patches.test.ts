// The ICE-lite renomination patch against a real werift Connection and raw STUN checks from two UDP sockets:
// the browser's old transport (A) and the new one it opens when the BUNDLE tag moves (B).
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { Candidate, Connection, Message, RTCSctpTransport } from 'werift';
import { adaptPeerConnection, applyWeriftPatches } from '../../../server/sfu/werift-patches.js';

applyWeriftPatches();

const BROWSER_UFRAG = 'browser';
const BROWSER_PASSWORD = 'browser-password-0123456789';
const sockets: Socket[] = [];
let lite: Connection | undefined;

after(async () => {
  for (const socket of sockets) socket.close();
  await lite?.close();
});

async function browserSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

/** Sends a Binding request as a controlling browser would, and waits for the lite agent's response. */
async function check(connection: Connection, from: Socket, useCandidate: boolean): Promise<void> {
  const request = new Message(1, 0); // Binding request
  request
    .setAttribute('USERNAME', `${connection.localUsername}:${BROWSER_UFRAG}`)
    .setAttribute('PRIORITY', 1845501695)
    .setAttribute('ICE-CONTROLLING', 42n);
  if (useCandidate) request.setAttribute('USE-CANDIDATE', null);
  request.addMessageIntegrity(Buffer.from(connection.localPassword, 'utf8')).addFingerprint();
  const response = once(from, 'message');
  const [local] = connection.localCandidates;
  from.send(request.bytes, local.port, local.host);
  await response;
}

const port = (socket: Socket) => socket.address().port;
const nominatedPort = (connection: Connection) =>
  (connection as unknown as { nominated?: { remoteAddr: [string, number] } }).nominated?.remoteAddr[1];

test('ICE-lite follows the browser to its new port, even when its SDP listed that port before the nomination', async () => {
  lite = new Connection(false, {
    iceLite: true,
    useIpv4: false,
    useIpv6: false,
    additionalHostAddresses: ['127.0.0.1'],
  });
  await lite.gatherCandidates();
  lite.setRemoteParams({ iceLite: false, usernameFragment: BROWSER_UFRAG, password: BROWSER_PASSWORD });
  const connected = lite.connect();
  const [a, b] = [await browserSocket(), await browserSocket()];

  await check(lite, a, true);
  await connected;
  assert.equal(nominatedPort(lite), port(a), 'the first nomination selects the old transport');

  // The new transport's first check (no USE-CANDIDATE yet), then the browser's next SDP lists the new
  // port as a host candidate: werift now holds two pairs for one address.
  await check(lite, b, false);
  await lite.addRemoteCandidate(Candidate.fromSdp(`1 1 udp 2122260223 127.0.0.1 ${port(b)} typ host`));
  await check(lite, b, true);
  assert.equal(nominatedPort(lite), port(b), 'the renomination selects the new transport');

  const arrived = once(b, 'message');
  await lite.send(Buffer.from('after the switch'));
  const [data] = (await arrived) as [Buffer];
  assert.equal(data.toString(), 'after the switch', 'data goes to the new port');
});

test('a werift whose RTP router lost routeRtp fails at start-up, before anything is patched', () => {
  const manager = { findReusableTransceiver: () => 'original' };
  const router = { registerRtpReceiverByRid() {}, registerRtpReceiver() {} };
  const pc = { transceiverManager: manager, router };
  assert.throws(
    () => adaptPeerConnection(pc as never, () => {}),
    /werift changed: RtpRouter\.routeRtp is gone/,
  );
  assert.equal(manager.findReusableTransceiver(), 'original', 'the peer is left untouched');
  assert.deepEqual(Object.keys(router), ['registerRtpReceiverByRid', 'registerRtpReceiver']);
});

test('an in-band channel queued before the SCTP transport started gets its id instead of an unhandled rejection', async () => {
  // werift's own flush, on a transport whose association came up before start() set `dataChannelId`.
  const sent: number[] = [];
  const channel = {
    id: undefined as number | undefined,
    setId(id: number) {
      this.id = id;
    },
  };
  const transport = Object.assign(Object.create(RTCSctpTransport.prototype) as object, {
    dtlsTransport: { iceTransport: { role: 'controlled' } },
    sctp: { associationState: 4, send: async (streamId: number) => void sent.push(streamId) },
    dataChannels: {},
    dataChannelQueue: [[channel, 50, Buffer.from('open')]],
  }) as unknown as { dataChannelFlush(): Promise<void>; dataChannelId?: number };
  await transport.dataChannelFlush();
  assert.equal(transport.dataChannelId, 0, 'the id base start() would have set (not controlling: 0)');
  assert.equal(channel.id, 0);
  assert.deepEqual(sent, [0], 'the DCEP open went out on the new id');

  const failing = Object.assign(Object.create(RTCSctpTransport.prototype) as object, {
    dtlsTransport: { iceTransport: { role: 'controlling' } },
    sctp: { associationState: 4, send: () => Promise.reject(new Error('closed')) },
    dataChannels: {},
    dataChannelQueue: [[{ id: 3 }, 50, Buffer.from('open')]],
  }) as unknown as { dataChannelFlush(): Promise<void> };
  await failing.dataChannelFlush(); // a failed send is contained, not a rejection
});
