// The early-DTLS and first-check ICE-lite patches against the SFU's real werift PeerConnection, with the
// browser played by a UDP socket and werift's own DTLS client, in the order a subscribing Chrome goes: its
// ICE check (without USE-CANDIDATE) and its ClientHello arrive before the SFU has its answer. The SFU answers
// that ClientHello with its ServerHello flight at once, without a HelloVerifyRequest round trip
// (werift-dtls-no-cookie.ts).
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { after, test } from 'node:test';
import {
  CipherContext,
  DtlsClient,
  HashAlgorithm,
  Message,
  NamedCurveAlgorithm,
  RTCCertificate,
  SignatureAlgorithm,
  type RTCPeerConnection,
} from 'werift';
import { createPeerConnection } from '../../../server/sfu/werift-config.js';
import { applyWeriftPatches } from '../../../server/sfu/werift-patches.js';

applyWeriftPatches();

const BROWSER_UFRAG = 'browser';
const BROWSER_PASSWORD = 'browser-password-0123456789';
const HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;
const HELLO_VERIFY_REQUEST = 3;

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const sdpValue = (sdp: string, pattern: RegExp): string => {
  const match = pattern.exec(sdp);
  assert.ok(match, `SDP has ${pattern}`);
  return match[1];
};

/** The SFU's offer for one video track it sends, gathered. */
async function sfuOffer(): Promise<{ pc: RTCPeerConnection; sdp: string }> {
  const pc = createPeerConnection();
  cleanups.push(() => pc.close());
  pc.addTransceiver('video', { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && resolve());
    });
  }
  return { pc, sdp: pc.localDescription!.sdp };
}

/** The browser's answer: its ICE credentials and certificate, DTLS client, receiving. */
function browserAnswer(offer: string, fingerprint: string): string {
  return offer
    .replace(/a=ice-ufrag:.*/, `a=ice-ufrag:${BROWSER_UFRAG}`)
    .replace(/a=ice-pwd:.*/, `a=ice-pwd:${BROWSER_PASSWORD}`)
    .replace(/a=fingerprint:.*/g, `a=fingerprint:sha-256 ${fingerprint}`)
    .replace(/a=setup:\w+/g, 'a=setup:active')
    .replace(/a=sendonly/g, 'a=recvonly')
    .split('\r\n')
    .filter((line) => !/^a=(ice-lite|candidate|end-of-candidates|ssrc|msid)/.test(line))
    .join('\r\n');
}

/** An ICE check as Chrome sends first: controlling, without USE-CANDIDATE. Resolves on the response. */
async function checkWithoutNomination(socket: Socket, port: number, sfuUfrag: string, sfuPassword: string) {
  const request = new Message(1, 0); // Binding request
  request
    .setAttribute('USERNAME', `${sfuUfrag}:${BROWSER_UFRAG}`)
    .setAttribute('PRIORITY', 1845501695)
    .setAttribute('ICE-CONTROLLING', 42n)
    .addMessageIntegrity(Buffer.from(sfuPassword, 'utf8'))
    .addFingerprint();
  const response = once(socket, 'message');
  socket.send(request.bytes, port, '127.0.0.1');
  await response;
}

const handshakeType = (record: Buffer) => (record[0] === HANDSHAKE ? record[13] : undefined);
/** A plaintext handshake record's message_seq (record header 13 bytes, then type, length, message_seq). */
const messageSeq = (record: Buffer) => record.readUInt16BE(13 + 4);

test('a ClientHello sent after the first check, before the SFU has the answer, is answered at once', async () => {
  const { pc, sdp } = await sfuOffer();
  const port = Number(sdpValue(sdp, /a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/));

  const socket = createSocket('udp4');
  cleanups.push(() => socket.close());
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  await checkWithoutNomination(
    socket,
    port,
    sdpValue(sdp, /a=ice-ufrag:(\S+)/),
    sdpValue(sdp, /a=ice-pwd:(\S+)/),
  );

  const key = await CipherContext.createSelfSignedCertificateWithKey(
    { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
    NamedCurveAlgorithm.secp256r1_23,
  );
  const certificate = new RTCCertificate(key.keyPem, key.certPem, key.signatureHash);
  let helloVerified = false;
  let clientHellosBeforeVerify = 0;
  const transport = {
    type: 'udp',
    address: {},
    onData: (_record: Buffer) => {},
    send: (record: Buffer) => {
      if (!helloVerified && handshakeType(record) === CLIENT_HELLO) clientHellosBeforeVerify++;
      socket.send(record, port, '127.0.0.1');
    },
    close: () => {},
  };
  const fromSfu: { type?: number; seq: number }[] = [];
  socket.on('message', (data: Buffer) => {
    if (data[0] < 20 || data[0] > 63) return; // STUN: handled above
    if (data[0] === HANDSHAKE && fromSfu.length === 0)
      fromSfu.push({ type: handshakeType(data), seq: messageSeq(data) });
    if (handshakeType(data) === HELLO_VERIFY_REQUEST) helloVerified = true;
    transport.onData(data);
  });
  const client = new DtlsClient({
    cert: certificate.certPem,
    key: certificate.privateKey,
    signatureHash: certificate.signatureHash,
    transport,
    srtpProfiles: [1], // SRTP_AES128_CM_HMAC_SHA1_80
    extendedMasterSecret: true,
  } as never);
  cleanups.push(() => client.close());
  const clientConnected = new Promise<void>((resolve) => client.onConnect.once(() => resolve()));
  void client.connect();
  // The ClientHello is on the wire; only now does the browser's answer reach the SFU.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(helloVerified, false, 'the SFU cannot have answered yet: it has no answer');

  await pc.setRemoteDescription({
    type: 'answer',
    sdp: browserAnswer(sdp, certificate.getFingerprints()[0].value),
  });
  let timeout: NodeJS.Timeout | undefined;
  await Promise.race([
    clientConnected,
    new Promise((_, reject) => {
      timeout = setTimeout(() => reject(new Error('DTLS did not connect in 5 s')), 5_000);
    }),
  ]).finally(() => clearTimeout(timeout));

  assert.equal(
    clientHellosBeforeVerify,
    1,
    'the first ClientHello was answered: no retransmission was needed',
  );
  assert.equal(pc.dtlsTransports[0].state, 'connected', "the SFU's DTLS transport connected");
  assert.equal(helloVerified, false, 'no HelloVerifyRequest round trip');
  assert.deepEqual(
    fromSfu[0],
    { type: SERVER_HELLO, seq: 0 },
    'the first server message is a ServerHello numbered 0',
  );
});
