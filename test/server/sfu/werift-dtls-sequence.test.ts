// DTLS record sequence numbers stay unique after the handshake (werift-dtls-sequence.ts): a browser drops a
// record whose epoch and number it has seen (its replay check), so a repeat costs a retransmission timer.
// Watched on the wire of a publisher, the SFU and a subscriber (werift peers playing the browser).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StunProtocol } from 'werift';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { continueAfterFinished } from '../../../server/sfu/werift-dtls-sequence.js';
import { collect, DataPeer, until } from '../../support/werift-data-peers.js';
import type { SfuApi } from '../../support/werift-peers.js';

const APP = 'dtls-seq-app';
const SECRET = 'dtls-seq-secret';
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;

/** A DTLS 1.2 record header: type, version, epoch, sequence number. */
function record(type: number, epoch: number, sequence: number): Buffer {
  const header = Buffer.alloc(13 + 4);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(0xfefd, 1);
  header.writeUInt16BE(epoch, 3);
  header.writeUIntBE(sequence, 5, 6);
  header.writeUInt16BE(4, 11);
  return header;
}

describe('continueAfterFinished', () => {
  test('moves the counter to the Finished record of the current epoch', () => {
    const context = {
      epoch: 1,
      recordSequenceNumber: 0,
      lastMessage: [record(20, 0, 7), record(HANDSHAKE, 1, 8)],
    };
    assert.equal(continueAfterFinished(context), 8);
    assert.equal(context.recordSequenceNumber, 8, 'the next application record is 9');
  });

  test('never moves the counter back, and leaves a flight of another epoch alone', () => {
    const ahead = { epoch: 1, recordSequenceNumber: 12, lastMessage: [record(HANDSHAKE, 1, 8)] };
    continueAfterFinished(ahead);
    assert.equal(ahead.recordSequenceNumber, 12);
    const earlier = { epoch: 1, recordSequenceNumber: 0, lastMessage: [record(HANDSHAKE, 0, 5)] };
    assert.equal(continueAfterFinished(earlier), undefined);
    assert.equal(earlier.recordSequenceNumber, 0);
    const empty = { epoch: 1, recordSequenceNumber: 0, lastMessage: [] };
    assert.equal(continueAfterFinished(empty), undefined);
  });
});

describe('on the wire', () => {
  let sfu: LocalSfu;
  let api: SfuApi;
  const peers: DataPeer[] = [];
  /** Every record sent in epoch 1, per sending socket and destination: sequence number → content types. */
  const sent = new Map<string, Map<number, number[]>>();
  const protocolIds = new WeakMap<object, number>();
  let protocolCount = 0;
  const proto = StunProtocol.prototype as unknown as {
    sendData(this: object, data: Buffer, addr: [string, number]): Promise<void>;
  };
  const originalSendData = proto.sendData;

  before(async () => {
    sfu = await startLocalSfu({ port: 0, appId: APP, appSecret: SECRET, onError: () => {} });
    api = { base: `${sfu.baseUrl}/v1/apps/${APP}`, headers: { authorization: `Bearer ${SECRET}` } };
    // Wrapped after the SFU's own patches (applied at start-up), so this sees what leaves the socket.
    proto.sendData = function (this: object, data, addr) {
      if (!protocolIds.has(this)) protocolIds.set(this, ++protocolCount);
      const stream = `${protocolIds.get(this)}->${addr[1]}`;
      for (let at = 0; at + 13 <= data.length && data[at]! >= 20 && data[at]! <= 63;) {
        const length = data.readUInt16BE(at + 11);
        if (data.readUInt16BE(at + 3) === 1) {
          let records = sent.get(stream);
          if (!records) sent.set(stream, (records = new Map()));
          const sequence = data.readUIntBE(at + 5, 6);
          records.set(sequence, [...(records.get(sequence) ?? []), data[at]!]);
        }
        at += 13 + length;
      }
      return originalSendData.call(this, data, addr);
    };
  });

  after(async () => {
    proto.sendData = originalSendData;
    await Promise.all(peers.map((p) => p.close()));
    await sfu.close();
  });

  test('no application record reuses the number of the Finished or of another record', async () => {
    const publisher = await DataPeer.legacy(api);
    const subscriber = await DataPeer.established(api);
    peers.push(publisher, subscriber);
    const out = await publisher.publish('chat');
    const received = collect(await subscriber.subscribe(publisher, 'chat'));
    // Well past the handshake's record count (about 8), so a repeat would have come up.
    const count = 40;
    for (let i = 0; i < count; i++) out.send(`m${i}`);
    await until(() => received.length === count, 10_000, 'all messages');

    let finishedRecords = 0;
    for (const [stream, records] of sent) {
      for (const [sequence, types] of records) {
        const applicationRecords = types.filter((type) => type === APPLICATION_DATA).length;
        if (types.includes(HANDSHAKE)) finishedRecords++;
        assert.ok(
          applicationRecords === 0 || types.length === applicationRecords,
          `${stream}: epoch 1 record ${sequence} was sent as the Finished and as application data (${types})`,
        );
        assert.ok(
          applicationRecords <= 1,
          `${stream}: application record ${sequence} sent ${applicationRecords}×`,
        );
      }
    }
    // Both handshakes (publisher and subscriber, each with the SFU) were seen from both ends.
    assert.ok(finishedRecords >= 4, `saw ${finishedRecords} Finished records`);
  });
});
