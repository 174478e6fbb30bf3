// werift's UDP sockets send IP literals without waiting a tick, and still receive through werift's listener.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UdpTransport } from 'werift';
import { literalFirstLookup, sendDatagramsAtOnce } from '../../../server/sfu/werift-sync-send.js';

test('an IP literal is answered before the lookup returns; a host name goes to DNS', async () => {
  const answers: unknown[][] = [];
  literalFirstLookup('127.0.0.1', { family: 4 }, (...args) => answers.push(args));
  literalFirstLookup('::1', { family: 6 }, (...args) => answers.push(args));
  assert.deepEqual(answers, [
    [null, '127.0.0.1', 4],
    [null, '::1', 6],
  ]);

  const named = new Promise<unknown[]>((resolve) =>
    literalFirstLookup('localhost', { family: 4 }, (...args) => resolve(args)),
  );
  assert.equal(answers.length, 2, 'a host name is not answered synchronously');
  const [error, address] = await named;
  assert.equal(error, null);
  assert.equal(address, '127.0.0.1');
});

test('patched werift transports exchange datagrams both ways', async () => {
  sendDatagramsAtOnce();
  sendDatagramsAtOnce(); // idempotent
  const options = { interfaceAddresses: { udp4: '127.0.0.1' } };
  const a = await UdpTransport.init('udp4', options);
  const b = await UdpTransport.init('udp4', options);
  try {
    const received: [Buffer, readonly [string, number]][] = [];
    const arrived = (t: UdpTransport) =>
      new Promise<void>((resolve) => {
        t.onData = (data: Buffer, addr: readonly [string, number]) => (
          received.push([data, addr]),
          resolve()
        );
      });
    const atB = arrived(b);
    await a.send(Buffer.from('to b'), ['127.0.0.1', b.port]);
    await atB;
    const atA = arrived(a);
    await b.send(Buffer.from('to a'), ['127.0.0.1', a.port]);
    await atA;
    assert.deepEqual(
      received.map(([data, addr]) => [data.toString(), addr[1]]),
      [
        ['to b', a.port],
        ['to a', b.port],
      ],
    );
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
