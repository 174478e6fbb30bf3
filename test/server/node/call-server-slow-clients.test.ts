// Finding 4 of the reliability review: slow requests must not hold sockets. A header that dribbles in and a
// body that never completes are cut within seconds, and one address can't hold more than a few
// unauthenticated presence sockets.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { createCallToken } from '../../../server/core/call-token.js';
import { startCallServer, type CallServer } from '../../../server/node/call-server.js';
import { startMockSfuUpstream, type MockSfuUpstream } from '../../support/mock-sfu-upstream.js';
import { TEST_SFU_APP_ID, TEST_SFU_APP_SECRET, TEST_TOKEN_SECRET } from '../../support/test-secrets.js';

/** Resolves with the milliseconds until the server closed `socket` (or `limitMs` if it never did). */
function closedAfter(socket: Socket, limitMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(limitMs), limitMs);
    socket.on('error', () => undefined);
    socket.resume(); // read whatever the server answers, so its end is seen
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `lines` one by one, `everyMs` apart, while the socket is open. */
function dribble(socket: Socket, lines: string[], everyMs: number): () => void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= lines.length) return;
    socket.write(lines[index++]!);
  }, everyMs);
  return () => clearInterval(timer);
}

const LIMIT_MS = 30_000;

describe('Node call server: slow and idle clients', () => {
  let upstream: MockSfuUpstream;
  let server: CallServer;

  before(async () => {
    upstream = await startMockSfuUpstream(TEST_SFU_APP_ID, TEST_SFU_APP_SECRET);
    server = await startCallServer({
      port: 0,
      tokenSecret: TEST_TOKEN_SECRET,
      upstream: {
        appId: TEST_SFU_APP_ID,
        appSecret: TEST_SFU_APP_SECRET,
        realtimeApiBaseUrl: upstream.realtimeApiBaseUrl,
        staticIceServers: [],
      },
    });
  });

  after(async () => {
    await server.close();
    await upstream.close();
  });

  it('cuts a WebSocket upgrade whose header lines dribble in, within seconds', async () => {
    const socket = await open(server.url);
    socket.write('GET /rooms/A HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const lines = Array.from({ length: 100 }, (_, i) => `X-Dribble-${i}: ${i}\r\n`);
    const stop = dribble(socket, ['Upgrade: websocket\r\n', 'Connection: Upgrade\r\n', ...lines], 1_000);
    const ms = await closedAfter(socket, LIMIT_MS);
    stop();
    socket.destroy();
    assert.ok(ms < 10_000, `the dribbling upgrade was held for ${Math.round(ms)} ms`);
  });

  it('cuts a request body that never completes, within seconds', async () => {
    // A valid token, so the proxy really waits for the body instead of refusing the request at once.
    const token = await createCallToken({ secret: TEST_TOKEN_SECRET, room: 'A', userId: 'slow' });
    const socket = await open(server.url);
    socket.write(
      `POST /partytracks/sessions/${'a'.repeat(32)}/tracks/new HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
    const stop = dribble(
      socket,
      Array.from({ length: 100 }, () => ' '),
      500,
    );
    const ms = await closedAfter(socket, LIMIT_MS);
    stop();
    socket.destroy();
    assert.ok(ms < 15_000, `the endless body was held for ${Math.round(ms)} ms`);
  });

  it('refuses more than a few unauthenticated presence sockets from one address (429)', async () => {
    const origin = server.url;
    const url = `${server.url.replace('http', 'ws')}/rooms/A`;
    const sockets: WebSocket[] = [];
    const statuses: (number | 'open')[] = [];
    for (let i = 0; i < 40; i++) {
      const ws = new WebSocket(url, { origin });
      sockets.push(ws);
      statuses.push(
        await new Promise<number | 'open'>((resolve) => {
          ws.once('open', () => resolve('open'));
          ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
          ws.once('error', () => resolve(0));
        }),
      );
    }
    for (const ws of sockets) ws.terminate();
    const opened = statuses.filter((s) => s === 'open').length;
    assert.ok(opened >= 4 && opened <= 32, `${opened} unauthenticated sockets were accepted`);
    assert.ok(statuses.includes(429), `statuses: ${statuses.join(',')}`);
  });
});
