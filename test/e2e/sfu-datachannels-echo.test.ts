// Pages written the way Cloudflare's public echo-datachannels example calls the API (our own pages, only
// the API host changed) run against the local SFU in Chromium, in both forms: the offer to `sessions/new`,
// and `sessions/new` + `establish` + `renegotiate`. Messages round-trip through the SFU.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startLocalSfu, type LocalSfu } from '../../server/sfu/index.js';
import { launchChromium } from '../support/browser.js';

const APP = 'echo';
const SECRET = 'echo-secret';

let sfu: LocalSfu;
let server: Server;
let origin: string;
let browser: Browser;

interface EchoResult {
  error?: string;
  ids: number[];
  received: string[];
  serverEvents?: string[];
  renegotiate?: boolean;
}

const pagesDir = fileURLToPath(new URL('./pages/', import.meta.url));

/** One origin for the pages and the API: `/v1/*` goes to the SFU's handler, the rest are page files. */
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith('/v1/')) {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const response = await sfu.fetch(
      new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: 'half',
      } as RequestInit),
    );
    return void res
      .writeHead(response.status, { 'content-type': 'application/json' })
      .end(await response.text());
  }
  const name = url.pathname.slice(1);
  if (!/^[a-z-]+\.(html|js)$/.test(name)) return void res.writeHead(404).end();
  const type = name.endsWith('.js') ? 'text/javascript' : 'text/html';
  res.writeHead(200, { 'content-type': type }).end(await readFile(`${pagesDir}${name}`));
}

before(async () => {
  sfu = await startLocalSfu({ port: 0, appId: APP, appSecret: SECRET, onError: () => {} });
  server = createServer((req, res) => void serve(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await sfu?.close();
});

async function run(page: string): Promise<EchoResult> {
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (error) => errors.push(String(error)));
  await tab.goto(`${origin}/${page}?app=${APP}&secret=${SECRET}`);
  const result = (await tab.evaluate(
    () => (window as unknown as { echoResult: Promise<unknown> }).echoResult,
  )) as EchoResult;
  await tab.close();
  assert.deepEqual(errors, []);
  return result;
}

test('the older form (offer with server-events to sessions/new) round-trips messages', async () => {
  const result = await run('datachannel-echo-legacy.html');
  assert.equal(result.error, undefined);
  assert.equal(result.received.length, 20);
  assert.match(result.received[0], /^echo 0 /);
  assert.match(result.received[19], /^echo 19 /);
});

test('the newer form (establish, renegotiate) round-trips messages and gets server-events', async () => {
  const result = await run('datachannel-echo-establish.html');
  assert.equal(result.error, undefined);
  assert.equal(result.renegotiate, true);
  assert.deepEqual(result.serverEvents, ['server-events', 'server-events']);
  assert.equal(result.received.length, 20);
  assert.match(result.received[19], /^echo 19 /);
});

test('the sessions are collected afterwards with no SCTP state left', async () => {
  let later = 0;
  const deadline = Date.now() + 10_000;
  while (sfu.stats().sessions > 0 && Date.now() < deadline) {
    later += 20_000;
    sfu.sweep(Date.now() + later);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stats = sfu.stats();
  assert.equal(stats.sessions, 0);
  assert.equal(stats.dataChannels, 0);
  assert.equal(stats.sctpAssociations, 0);
});
