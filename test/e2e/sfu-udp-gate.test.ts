// The reviewer's attack on a two-page call, with Chromium and partytracks (reliability finding 2): 1,000
// crafted datagrams in the DTLS range, sent in about 0.3 s from another socket to every UDP port of the
// local SFU, used to end both sessions (about 14 s without a frame). Now the pages keep decoding.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { startSfuE2e, type SfuE2e } from '../support/sfu-e2e.js';

let e2e: SfuE2e;

before(async () => {
  e2e = await startSfuE2e();
});

after(async () => {
  await e2e?.close();
});

/** A DTLS record header of `contentType` (epoch 0, a matching length) over random bytes. */
function dtlsRecord(contentType: number): Buffer {
  const body = randomBytes(20 + Math.floor(Math.random() * 80));
  const header = Buffer.alloc(13);
  header.writeUInt8(contentType, 0);
  header.writeUInt16BE(0xfefd, 1);
  randomBytes(6).copy(header, 5);
  header.writeUInt16BE(body.length, 11);
  return Buffer.concat([header, body]);
}

test('1,000 crafted DTLS-range datagrams to the SFU’s ports leave a two-page call decoding', async () => {
  const a = await e2e.openPage();
  const b = await e2e.openPage();
  const [videoA, videoB] = await Promise.all([
    a.publish('camera', { kind: 'video' }),
    b.publish('camera', { kind: 'video' }),
  ]);
  await Promise.all([b.pull('a', videoA), a.pull('b', videoB)]);
  await Promise.all([b.waitForVideo('a'), a.waitForVideo('b')]);

  const attacker = createSocket('udp4');
  attacker.bind(0, '127.0.0.1');
  await once(attacker, 'listening');
  const ports = e2e.sfu.udpPorts();
  assert.ok(ports.length >= 2, 'both sessions hold a port');
  const firstBytes = [20, 22, ...Array.from({ length: 40 }, (_, i) => 24 + i)];
  for (let i = 0; i < 1_000; i++) {
    const datagram = dtlsRecord(firstBytes[i % firstBytes.length]);
    for (const port of ports) attacker.send(datagram, port, '127.0.0.1');
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 30));
  }
  attacker.close();

  // The collector ends a broken session after 5 s: watch each second for longer than that.
  let [lastA, lastB] = await Promise.all([a.stats('b'), b.stats('a')]);
  for (let second = 1; second <= 8; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const [nowA, nowB] = await Promise.all([a.stats('b'), b.stats('a')]);
    assert.ok(nowA && nowB && lastA && lastB, 'both pulls are still there');
    assert.ok(nowA.framesDecoded > lastA.framesDecoded, `page A decodes in second ${second}`);
    assert.ok(nowB.framesDecoded > lastB.framesDecoded, `page B decodes in second ${second}`);
    [lastA, lastB] = [nowA, nowB];
  }
  assert.equal(await a.connectionState(), 'connected');
  assert.equal(await b.connectionState(), 'connected');
  assert.ok(e2e.sfu.stats().udpGate.strayDatagrams >= 1_000 * ports.length, 'every datagram was dropped');
  await a.page.close();
  await b.page.close();
});
