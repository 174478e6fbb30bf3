#!/usr/bin/env node
// Serves demo/ at / and the built library at /dist/ on 127.0.0.1 (dependency-free, for `npm start`).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8787);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css',
};

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  const relative = path.startsWith('/dist/')
    ? path
    : join('demo', path.endsWith('/') ? `${path}index.html` : path);
  const file = normalize(join(root, relative));
  if (!file.startsWith(normalize(root) + (root.endsWith(sep) ? '' : sep)))
    return void res.writeHead(403).end();
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, host, () => console.log(`call-elements demo: http://localhost:${port}/`));
