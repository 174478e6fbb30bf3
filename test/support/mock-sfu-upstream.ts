// A stand-in for the Cloudflare Realtime API on 127.0.0.1: records every request it gets (to prove which
// headers the proxy forwards) and answers like the SFU, or with a scripted misbehaviour.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export interface MockSfuUpstream {
  /** Pass as `realtimeApiBaseUrl`. */
  readonly realtimeApiBaseUrl: string;
  readonly requests: RecordedRequest[];
  /** The next request gets this instead of a normal answer. */
  scriptNext(response: ScriptedResponse): void;
  /** The next request is read, then never answered (an SFU that accepts and hangs). */
  hangNext(): void;
  close(): Promise<void>;
}

const ANSWER_SDP = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

export async function startMockSfuUpstream(appId: string, appSecret: string): Promise<MockSfuUpstream> {
  const requests: RecordedRequest[] = [];
  const scripted: (ScriptedResponse | 'hang')[] = [];

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });

    const reply = (status: number, json: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json', vary: 'Origin' }).end(JSON.stringify(json));
    const next = scripted.shift();
    if (next === 'hang') return;
    if (next) return void res.writeHead(next.status, next.headers ?? {}).end(next.body);
    if (req.headers.authorization !== `Bearer ${appSecret}`) {
      return reply(401, { errorCode: 'unauthorized', errorDescription: 'bad bearer' });
    }
    const base = `/v1/apps/${appId}/sessions/`;
    if (!path.startsWith(base)) return reply(404, { errorCode: 'not_found', errorDescription: path });
    const operation = path.slice(base.length).split('?')[0] ?? '';
    if (operation === 'new') return reply(201, { sessionId: randomUUID().replaceAll('-', '') });
    const parsed = body ? (JSON.parse(body) as { tracks?: unknown[] }) : {};
    if (operation.endsWith('/tracks/new')) {
      return reply(200, {
        requiresImmediateRenegotiation: false,
        tracks: parsed.tracks ?? [],
        sessionDescription: { type: 'answer', sdp: ANSWER_SDP },
      });
    }
    if (operation.endsWith('/tracks/close') || operation.endsWith('/tracks/update')) {
      return reply(200, { requiresImmediateRenegotiation: false, tracks: parsed.tracks ?? [] });
    }
    if (operation.endsWith('/renegotiate')) return reply(200, {});
    return reply(200, { tracks: [] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realtimeApiBaseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    scriptNext: (response) => void scripted.push(response),
    hangNext: () => void scripted.push('hang'),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
