// Starting and stopping the local SFU: loopback only, a fixed default port or any with 0, and close()
// gives back every TCP and UDP port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SFU_PORT, startLocalSfu } from '../../../server/sfu/index.js';
import { chromeOffer } from '../../support/sdp-fixtures.js';

const canBind = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

const canBindUdp = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });

test('startLocalSfu binds 127.0.0.1 and close() frees the HTTP port and every session UDP port', async () => {
  const sfu = await startLocalSfu({ port: 0, appId: 'a', appSecret: 's' });
  const url = new URL(sfu.baseUrl);
  assert.equal(url.hostname, '127.0.0.1');
  const headers = { authorization: 'Bearer s', 'content-type': 'application/json' };
  const { sessionId } = (await (
    await fetch(`${sfu.baseUrl}/v1/apps/a/sessions/new`, { method: 'POST', headers })
  ).json()) as {
    sessionId: string;
  };
  const sdp = chromeOffer({ sections: [{ kind: 'audio', mid: '0' }] });
  await fetch(`${sfu.baseUrl}/v1/apps/a/sessions/${sessionId}/tracks/new`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      sessionDescription: { type: 'offer', sdp },
      tracks: [{ location: 'local', mid: '0', trackName: 't' }],
    }),
  });
  const udpPorts = sfu.udpPorts();
  assert.equal(udpPorts.length, 1);
  assert.equal(await canBind(Number(url.port)), false);

  await sfu.close();
  assert.equal(await canBind(Number(url.port)), true, 'HTTP port released');
  assert.equal(await canBindUdp(udpPorts[0]), true, 'UDP port released');
  assert.equal(sfu.stats().timers, 0);
});

test('`npm run sfu` prints its base URL, serves the API and stops cleanly on SIGTERM', async () => {
  const cli = fileURLToPath(new URL('../../../server/sfu/cli.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--port', '0', '--app-secret', 'cli-secret'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  const reply = await fetch(`${baseUrl}/v1/apps/local/sessions/new`, {
    method: 'POST',
    headers: { authorization: 'Bearer cli-secret' },
  });
  assert.equal(reply.status, 201);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.equal(DEFAULT_SFU_PORT, 8790);
});
