// A site that embeds <call-room> from the script-tag bundle, on its own origin (127.0.0.1, another port): the
// page, the bundle, the site's token endpoint (tokens signed with the call server's secret) and, optionally, a
// reverse proxy that puts the call server's /partytracks/ and /rooms/ on the site's origin, like the README's
// nginx and Caddy snippets.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createCallToken } from '../../server/core/call-token.js';
import { assertBuilt, repoRoot } from './bundle-page.js';

export interface EmbedSiteOptions {
  /** The call server's secret, shared with this site's token endpoint. */
  readonly tokenSecret: string;
  /** The `serverUrl` the token endpoint answers with; undefined leaves it out (the widget uses this origin). */
  readonly serverUrl: () => string | undefined;
  /** Forward /partytracks/ and /rooms/ (WebSocket upgrades included) to this origin. */
  readonly proxyTo?: () => string;
  readonly room: string;
}

export interface EmbedSite {
  readonly url: string;
  /** How many token requests the site answered. */
  readonly tokensIssued: () => number;
  close(): Promise<void>;
}

const PROXIED = /^\/(partytracks|rooms)\//;

export async function startEmbedSite(options: EmbedSiteOptions): Promise<EmbedSite> {
  assertBuilt();
  let issued = 0;
  const page = `<!doctype html><html lang="en"><meta charset="utf-8"><title>A site with a call</title>
<script src="/call-elements.iife.js"></script>
<h1>Team page</h1>
<call-room token-endpoint="/api/call-token" room="${options.room}"></call-room>`;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (options.proxyTo && PROXIED.test(path)) return proxy(req, res, options.proxyTo());
    if (path === '/')
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    if (path === '/call-elements.iife.js') {
      return void readFile(`${repoRoot}dist/call-elements.iife.js`).then((body) =>
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(body),
      );
    }
    if (path === '/api/call-token' && req.method === 'POST') return void issueToken(req, res);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errorCode":"not_found"}');
  });

  // The site's own endpoint: it decides who may join (here: anyone, as a guest) and signs with the shared secret.
  async function issueToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { room, name } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      room: string;
      name?: string;
    };
    const token = await createCallToken({
      secret: options.tokenSecret,
      room,
      userId: `site-user-${randomUUID()}`,
      name: name || 'Guest',
      canPublish: true,
      canSubscribe: true,
      ttlSeconds: 600,
    });
    issued++;
    const serverUrl = options.serverUrl();
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ token, ...(serverUrl && { serverUrl }) }));
  }

  // HTTP requests: method, path, headers and body as they came (Host included, as `proxy_set_header Host $host`).
  function proxy(req: IncomingMessage, res: ServerResponse, target: string): void {
    const { hostname, port } = new URL(target);
    const upstream = httpRequest(
      { hostname, port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end());
    req.pipe(upstream);
  }

  // WebSocket upgrades: the raw request to the call server, then bytes both ways.
  const tunnels = new Set<{ destroy(): void }>();
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!options.proxyTo || !PROXIED.test(path)) return void socket.destroy();
    const { hostname, port } = new URL(options.proxyTo());
    const upstream = connect(Number(port), hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const end = () => (upstream.destroy(), socket.destroy(), tunnels.delete(tunnel));
    const tunnel = { destroy: end };
    tunnels.add(tunnel);
    upstream.on('error', end);
    upstream.on('close', end);
    socket.on('error', end);
    socket.on('close', end);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokensIssued: () => issued,
    close: () =>
      new Promise((resolve) => {
        for (const tunnel of [...tunnels]) tunnel.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
