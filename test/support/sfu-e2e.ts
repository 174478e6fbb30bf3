// Node side of the SFU end-to-end tests: the local SFU, a page server that proxies `/partytracks/*` to it
// through partytracks' own `routePartyTracksRequest` (the production path), the browser harness bundle,
// and one headless Chromium per test file.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { routePartyTracksRequest } from 'partytracks/server';
import { startLocalSfu, type LocalSfu, type LocalSfuOptions } from '../../server/sfu/index.js';
import { launchChromium } from './browser.js';
import { chromiumArgs } from './chromium-flags.mjs';
import type { Harness, PublishOptions, PullStats } from './partytracks-page.js';

const APP_ID = 'e2e';
const PREFIX = '/partytracks';

export interface SfuE2e {
  sfu: LocalSfu;
  /** The bearer secret the SFU checks (the proxy adds it). */
  appSecret: string;
  browser: Browser;
  pageUrl: string;
  openPage(): Promise<HarnessPage>;
  close(): Promise<void>;
}

/** Node's fetch needs `duplex: 'half'` for the proxy's streamed request bodies (calls-api.md §3.0). */
function allowStreamedFetchBodies(): void {
  const marker = Symbol.for('call-elements.fetch-duplex');
  const g = globalThis as typeof globalThis & { [marker]?: boolean };
  if (g[marker]) return;
  g[marker] = true;
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = (input, init) =>
    nodeFetch(
      input,
      init?.body instanceof ReadableStream ? ({ ...init, duplex: 'half' } as RequestInit) : init,
    );
}

async function bundleHarness(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./partytracks-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const pageHtml = `<!doctype html><html><head><meta charset="utf-8"><title>sfu e2e</title></head><body>
<script type="module" src="/harness.js"></script></body></html>`;

export async function startSfuE2e(
  sfuOptions: LocalSfuOptions = {},
  browserArgs: readonly string[] = chromiumArgs,
): Promise<SfuE2e> {
  allowStreamedFetchBodies();
  const appSecret = sfuOptions.appSecret ?? randomBytes(16).toString('hex');
  const [sfu, script] = await Promise.all([
    startLocalSfu({ port: 0, ...sfuOptions, appId: APP_ID, appSecret }),
    bundleHarness(),
  ]);

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorCode: 'internal_error', errorDescription: String(error) }));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml);
    if (url.pathname === '/harness.js') {
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    }
    if (url.pathname === `${PREFIX}/generate-ice-servers`) {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"iceServers":[]}');
    }
    if (!url.pathname.startsWith(`${PREFIX}/`)) return void res.writeHead(404).end();
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      duplex: 'half',
    } as RequestInit);
    const response = await routePartyTracksRequest({
      appId: APP_ID,
      token: appSecret,
      prefix: PREFIX,
      request,
      realtimeApiBaseUrl: `${sfu.baseUrl}/v1`,
      lockSessionToInitiator: false,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(key)) headers[key] = value;
    });
    res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await launchChromium({ args: [...browserArgs] });

  return {
    sfu,
    appSecret,
    browser,
    pageUrl,
    async openPage() {
      const page = await browser.newPage();
      await page.goto(pageUrl);
      await page.waitForFunction(() => 'harness' in window);
      await page.evaluate((prefix) => window.harness.start(prefix), PREFIX);
      return new HarnessPage(page);
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sfu.close();
    },
  };
}

export type TrackMetadata = Awaited<ReturnType<Harness['publish']>>;

/** Typed calls into a page's `window.harness`. */
export class HarnessPage {
  constructor(readonly page: Page) {}

  publish(name: string, options: PublishOptions): Promise<TrackMetadata> {
    return this.page.evaluate(([n, o]) => window.harness.publish(n, o), [name, options] as const);
  }

  unpublish(name: string): Promise<void> {
    return this.page.evaluate((n) => window.harness.unpublish(n), name);
  }

  pull(name: string, metadata: TrackMetadata, preferredRid?: string): Promise<void> {
    return this.page.evaluate(([n, m, r]) => window.harness.pull(n, m, r), [
      name,
      metadata,
      preferredRid,
    ] as const);
  }

  setPreferredRid(name: string, rid: string): Promise<void> {
    return this.page.evaluate(([n, r]) => window.harness.setPreferredRid(n, r), [name, rid] as const);
  }

  unpull(name: string): Promise<void> {
    return this.page.evaluate((n) => window.harness.unpull(n), name);
  }

  stats(name: string): Promise<PullStats | undefined> {
    return this.page.evaluate((n) => window.harness.stats(n), name);
  }

  sessionId(): Promise<string> {
    return this.page.evaluate(() => window.harness.sessionId());
  }

  /** Outbound video layers (rid, frameWidth, …) of this page's pushes. */
  outbound(): Promise<Record<string, unknown>[]> {
    return this.page.evaluate(() => window.harness.outbound());
  }

  connectionState(): Promise<string> {
    return this.page.evaluate(() => window.harness.connectionState());
  }

  history(): Promise<unknown[]> {
    return this.page.evaluate(() => window.harness.history());
  }

  leave(): Promise<void> {
    return this.page.evaluate(() => window.harness.leave());
  }

  /**
   * Polls until `check` accepts the pulled track's stats; returns them. Fails with the last stats seen.
   * Use generous timeouts: the machine has 2 cores and runs Chromium, the SFU and the test together.
   */
  async waitForStats(name: string, check: (s: PullStats) => boolean, timeoutMs = 15_000): Promise<PullStats> {
    const deadline = Date.now() + timeoutMs;
    let last: PullStats | undefined;
    while (Date.now() < deadline) {
      last = await this.stats(name);
      if (last && check(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting on ${name}: last stats ${JSON.stringify(last)}`);
  }

  /** Video is decoding and visible: frames decoded, a real size, and an unmuted track. */
  waitForVideo(name: string, minFrames = 5, timeoutMs?: number): Promise<PullStats> {
    return this.waitForStats(
      name,
      (s) => s.framesDecoded >= minFrames && s.videoWidth > 0 && !s.muted,
      timeoutMs,
    );
  }

  /** Audio is decoding: samples arrive while the track plays in an element, and the track is unmuted. */
  waitForAudio(name: string, timeoutMs?: number): Promise<PullStats> {
    return this.waitForStats(name, (s) => s.totalSamplesReceived > 0 && !s.muted, timeoutMs);
  }

  /** Frames decoded from now on: proves media keeps flowing (not just that it once did). */
  async waitForMoreFrames(name: string, more = 10, timeoutMs?: number): Promise<PullStats> {
    const start = (await this.stats(name))?.framesDecoded ?? 0;
    return this.waitForStats(name, (s) => s.framesDecoded >= start + more && !s.muted, timeoutMs);
  }
}
