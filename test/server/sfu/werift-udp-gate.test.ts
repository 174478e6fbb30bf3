// Datagrams from addresses the ICE agent never verified, sent to a running call's UDP ports (reliability
// finding 2): a burst of garbage in the DTLS range and a forged, unauthenticated USE-CANDIDATE check. Media
// keeps flowing to the real subscriber, nothing reaches the attacker, both sessions stay, and the SFU counts
// what it dropped.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { after, before, test, type TestContext } from 'node:test';
import { Message, type RTCPeerConnection } from 'werift';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import {
  sfuRequest,
  SyntheticPublisher,
  SyntheticSubscriber,
  type SfuApi,
} from '../../support/werift-peers.js';

let sfu: LocalSfu;
let api: SfuApi;
let attacker: Socket;
/** Every datagram the attacker's socket got back. */
const attackerInbox: Buffer[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  sfu = await startLocalSfu({ port: 0, appId: 'gate', appSecret: 'gate' });
  api = {
    base: `${sfu.baseUrl}/v1/apps/gate`,
    headers: { authorization: 'Bearer gate', 'content-type': 'application/json' },
  };
  attacker = createSocket('udp4');
  attacker.on('message', (data: Buffer) => attackerInbox.push(data));
  attacker.bind(0, '127.0.0.1');
  await once(attacker, 'listening');
});

after(async () => {
  attacker?.close();
  await sfu?.close();
});

/** A publisher sending 60 packets/s and a connected subscriber: two sessions, closed when the test ends. */
async function startCall(t: TestContext) {
  const publisher = await SyntheticPublisher.create(api, 300);
  t.after(() => publisher.close());
  publisher.sendOne(true);
  const subscriber = await SyntheticSubscriber.create(api, publisher);
  t.after(() => subscriber.close());
  publisher.start(60);
  attackerInbox.length = 0;

  /** Packets the subscriber got in each of `windows` consecutive windows of `ms`. */
  async function receivedPerWindow(windows: number, ms: number): Promise<number[]> {
    subscriber.take();
    const counts: number[] = [];
    for (let i = 0; i < windows; i++) {
      await sleep(ms);
      counts.push(subscriber.take().received);
    }
    return counts;
  }

  async function bothSessionsAlive(): Promise<void> {
    for (const sessionId of [publisher.sessionId, subscriber.sessionId]) {
      const { status } = await sfuRequest(api, 'GET', `/sessions/${sessionId}`);
      assert.equal(status, 200, `session ${sessionId} still exists`);
    }
  }
  return { publisher, subscriber, receivedPerWindow, bothSessionsAlive };
}

/** The SFU's ICE ufrag for a session, from the SDP it gave that peer. */
const sfuUfrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? '';

test('a burst of garbage in the DTLS range from another socket leaves both sessions and the media alone', async (t) => {
  const { publisher, subscriber, receivedPerWindow, bothSessionsAlive } = await startCall(t);
  assert.ok(Math.min(...(await receivedPerWindow(2, 500))) > 0, 'media flows before the burst');
  const ports = [sfuPortOf(publisher), sfuPortOf(subscriber)];
  assert.ok(
    ports.every((port) => sfu.udpPorts().includes(port)),
    'one UDP port per session',
  );
  const dtlsFirstBytes = [20, 22, ...Array.from({ length: 40 }, (_, i) => 24 + i)];
  const dropsBefore = sfu.stats().udpGate.strayDatagrams;
  for (let i = 0; i < 1_000; i++) {
    const datagram = dtlsShaped(dtlsFirstBytes[i % dtlsFirstBytes.length], i % 2 === 0);
    for (const port of ports) attacker.send(datagram, port, '127.0.0.1');
    if (i % 100 === 99) await sleep(30); // ~0.3 s for the whole burst
  }
  // The garbage collector gives a broken session 5 s: watch for longer than that.
  const counts = await receivedPerWindow(8, 1_000);
  assert.ok(
    counts.every((n) => n > 0),
    `packets reach the subscriber in every second after the burst: ${counts.join(', ')}`,
  );
  await bothSessionsAlive();
  assert.equal(attackerInbox.length, 0, 'nothing goes back to the attacker');
  assert.equal(sfu.stats().udpGate.strayDatagrams - dropsBefore, 2_000, 'every garbage datagram was counted');
});

test('a forged USE-CANDIDATE check without MESSAGE-INTEGRITY does not divert the media', async (t) => {
  const { subscriber, receivedPerWindow, bothSessionsAlive } = await startCall(t);
  const port = sfuPortOf(subscriber);
  assert.ok(sfu.udpPorts().includes(port), "the subscriber's session port");
  const forged = new Message(1, 0); // Binding request
  forged
    .setAttribute('USERNAME', `${sfuUfrag(subscriber.pc.remoteDescription?.sdp)}:evil`)
    .setAttribute('PRIORITY', 2_130_706_431)
    .setAttribute('ICE-CONTROLLING', 7n)
    .setAttribute('USE-CANDIDATE', null)
    .addFingerprint();
  const checksBefore = sfu.stats().udpGate.unauthenticatedChecks;
  attacker.send(forged.bytes, port, '127.0.0.1');
  const counts = await receivedPerWindow(6, 250);
  assert.ok(
    counts.every((n) => n > 0),
    `the subscriber keeps receiving: ${counts.join(', ')}`,
  );
  assert.equal(attackerInbox.length, 0, 'no STUN response and no media reach the attacker');
  assert.equal(sfu.stats().udpGate.unauthenticatedChecks - checksBefore, 1, 'the forged check was counted');
  await bothSessionsAlive();
});

/**
 * A datagram whose first byte is `contentType`: a well-formed DTLS record header (version, epoch, sequence
 * and a length that matches) over random bytes, or random bytes throughout.
 */
function dtlsShaped(contentType: number, wellFormed: boolean): Buffer {
  const body = randomBytes(20 + Math.floor(Math.random() * 80));
  if (!wellFormed) return Buffer.concat([Buffer.from([contentType]), body]);
  const header = Buffer.alloc(13);
  header.writeUInt8(contentType, 0);
  header.writeUInt16BE(0xfefd, 1); // DTLS 1.2
  randomBytes(6).copy(header, 5); // sequence number (epoch 0)
  header.writeUInt16BE(body.length, 11);
  return Buffer.concat([header, body]);
}

/** The port of the SFU's candidate in the SDP it gave `peer`. */
function sfuPortOf(peer: { pc: RTCPeerConnection }): number {
  const match = / udp \d+ 127\.0\.0\.1 (\d+) typ host/.exec(peer.pc.remoteDescription?.sdp ?? '');
  return Number(match?.[1]);
}

test('checks signed with the wrong password, or naming another ufrag, are dropped and counted too', async (t) => {
  const { subscriber, receivedPerWindow } = await startCall(t);
  const sdp = subscriber.pc.remoteDescription?.sdp;
  const ufrag = sfuUfrag(sdp);
  const password = /a=ice-pwd:(\S+)/.exec(sdp ?? '')?.[1] ?? '';
  const port = sfuPortOf(subscriber);
  const signed = (username: string, key: string) => {
    const check = new Message(1, 0); // Binding request
    check
      .setAttribute('USERNAME', username)
      .setAttribute('PRIORITY', 2_130_706_431)
      .setAttribute('ICE-CONTROLLING', 7n)
      .setAttribute('USE-CANDIDATE', null)
      .addMessageIntegrity(Buffer.from(key, 'utf8'))
      .addFingerprint();
    return check.bytes;
  };
  const checksBefore = sfu.stats().udpGate.unauthenticatedChecks;
  attacker.send(signed(`${ufrag}:evil`, 'not-the-ice-password-at-all'), port, '127.0.0.1');
  attacker.send(signed(`other:evil`, password), port, '127.0.0.1');
  const counts = await receivedPerWindow(4, 250);
  assert.ok(
    counts.every((n) => n > 0),
    `the subscriber keeps receiving: ${counts.join(', ')}`,
  );
  assert.equal(attackerInbox.length, 0, 'no answer to either');
  assert.equal(sfu.stats().udpGate.unauthenticatedChecks - checksBefore, 2);
});
