// The local SFU's HTTP API against bad input: every failure is a JSON `{errorCode, errorDescription}` with
// Cloudflare's status, answered fast, and the process keeps running with stable memory.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { chromeOffer, type FixtureSection } from '../../support/sdp-fixtures.js';

const APP = 'test-app';
const SECRET = 'test-secret';
// Bad input is refused at once: about 5 ms on an idle machine. The bound is generous (the reliability doc's goal
// is 100 ms) so a busy 2-core machine running other suites doesn't fail it.
const FAST_MS = 1000;

let sfu: LocalSfu;
let base: string;

before(async () => {
  sfu = await startLocalSfu({ port: 0, appId: APP, appSecret: SECRET, onError: () => {} });
  base = `${sfu.baseUrl}/v1/apps/${APP}`;
});

after(async () => {
  await sfu.close();
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

async function call(path: string, init: RequestInit & { auth?: string | null } = {}): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.auth !== null) headers.set('authorization', `Bearer ${init.auth ?? SECRET}`);
  if (init.body) headers.set('content-type', 'application/json');
  const started = performance.now();
  const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, { ...init, headers });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    assert.fail(`non-JSON body (${response.status}) for ${path}: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body, ms };
}

const post = (path: string, body?: unknown) =>
  call(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
const put = (path: string, body: unknown) => call(path, { method: 'PUT', body: JSON.stringify(body) });

function assertError(reply: Reply, status: number, errorCode: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body.errorCode, errorCode);
  assert.equal(typeof reply.body.errorDescription, 'string');
  assert.ok(reply.ms < FAST_MS, `${errorCode} took ${reply.ms.toFixed(1)} ms`);
}

async function newSession(): Promise<string> {
  const reply = await post('/sessions/new');
  assert.equal(reply.status, 201);
  return reply.body.sessionId as string;
}

const videoAndAudio: FixtureSection[] = [
  { kind: 'video', mid: '0' },
  { kind: 'audio', mid: '1' },
];

function pushBody(sdp: string, mids = ['0', '1']) {
  return {
    sessionDescription: { type: 'offer', sdp },
    tracks: mids.map((mid) => ({
      location: 'local',
      mid,
      trackName: `track-${mid}-${randomBytes(4).toString('hex')}`,
    })),
  };
}

describe('sessions', () => {
  test('sessions/new without a body returns 201 and a 32-hex session id, with and without /v1', async () => {
    const reply = await post('/sessions/new');
    assert.equal(reply.status, 201);
    assert.match(reply.body.sessionId as string, /^[0-9a-f]{32}$/);
    const legacyPath = await call(`${sfu.baseUrl}/apps/${APP}/sessions/new`, { method: 'POST' });
    assert.equal(legacyPath.status, 201);
  });

  test('sessions/new with an offer (the older form) answers it', async () => {
    const reply = await post('/sessions/new', {
      sessionDescription: { type: 'offer', sdp: chromeOffer({ sections: videoAndAudio }) },
    });
    assert.equal(reply.status, 201);
    const description = reply.body.sessionDescription as { type: string; sdp: string };
    assert.equal(description.type, 'answer');
    assert.match(description.sdp, /a=setup:passive/);
    assert.match(description.sdp, /^a=ice-lite$/m);
  });

  test('GET sessions/:id lists local tracks after a push', async () => {
    const sessionId = await newSession();
    const body = pushBody(chromeOffer({ sections: videoAndAudio }));
    const push = await post(`/sessions/${sessionId}/tracks/new`, body);
    assert.equal(push.status, 200);
    assert.equal(push.body.requiresImmediateRenegotiation, false);
    const state = await call(`/sessions/${sessionId}`);
    assert.equal(state.status, 200);
    const tracks = state.body.tracks as {
      location: string;
      mid: string;
      trackName: string;
      status: string;
    }[];
    assert.deepEqual(
      tracks.map((t) => [t.location, t.mid, t.status]),
      [
        ['local', '0', 'active'],
        ['local', '1', 'active'],
      ],
    );
  });

  test('an unknown session is session_error 410 on every endpoint', async () => {
    const gone = 'f'.repeat(32);
    assertError(await call(`/sessions/${gone}`), 410, 'session_error');
    assertError(await post(`/sessions/${gone}/tracks/new`, { tracks: [] }), 410, 'session_error');
    assertError(await put(`/sessions/${gone}/renegotiate`, {}), 410, 'session_error');
    assertError(await put(`/sessions/${gone}/tracks/update`, { tracks: [] }), 410, 'session_error');
    assertError(
      await put(`/sessions/${gone}/tracks/close`, { tracks: [{ mid: '0' }], force: true }),
      410,
      'session_error',
    );
  });
});

describe('authentication and routing', () => {
  test('a missing or wrong bearer secret is 401 JSON', async () => {
    assertError(await call('/sessions/new', { method: 'POST', auth: null }), 401, 'unauthorized');
    assertError(await call('/sessions/new', { method: 'POST', auth: 'wrong' }), 401, 'unauthorized');
  });

  test('another app id is 404, unknown paths 404, wrong methods 405, all JSON', async () => {
    assertError(
      await call(`${sfu.baseUrl}/v1/apps/other/sessions/new`, { method: 'POST' }),
      404,
      'not_found',
    );
    assertError(await call('/nothing/here'), 404, 'not_found');
    assertError(await call(`${sfu.baseUrl}/`), 404, 'not_found');
    assertError(await call('/sessions/new', { method: 'DELETE' }), 405, 'method_not_allowed');
  });

  test('the TURN endpoint partytracks may call answers with no ICE servers', async () => {
    const reply = await call(`${sfu.baseUrl}/v1/turn/keys/k/credentials/generate-ice-servers`, {
      method: 'POST',
      body: '{"ttl":86400}',
    });
    assert.equal(reply.status, 201);
    assert.deepEqual(reply.body, { iceServers: [] });
  });
});

describe('malformed requests', () => {
  let sessionId: string;
  before(async () => {
    sessionId = await newSession();
  });

  test('malformed JSON is decoding_error 400', async () => {
    const reply = await call(`/sessions/${sessionId}/tracks/new`, { method: 'POST', body: '{"tracks": [' });
    assertError(reply, 400, 'decoding_error');
  });

  test('wrong types are decoding_error 400', async () => {
    const path = `/sessions/${sessionId}/tracks/new`;
    assertError(await post(path, { tracks: 'all of them' }), 400, 'decoding_error');
    assertError(await post(path, { sessionDescription: { type: 'offer', sdp: 42 } }), 400, 'decoding_error');
    assertError(
      await post(path, { sessionDescription: { type: 'pranswer', sdp: 'v=0' } }),
      400,
      'decoding_error',
    );
    assertError(await post(path, [1, 2, 3]), 400, 'decoding_error');
    assertError(await put(`/sessions/${sessionId}/tracks/close`, { tracks: [] }), 400, 'decoding_error');
    assertError(
      await put(`/sessions/${sessionId}/tracks/close`, { tracks: [{ mid: 0 }], force: true }),
      400,
      'decoding_error',
    );
  });

  test('invalid UTF-8 and a non-numeric Content-Length are 400 JSON', async () => {
    const invalidUtf8 = await call(`/sessions/${sessionId}/tracks/new`, {
      method: 'POST',
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    });
    assertError(invalidUtf8, 400, 'decoding_error');
    const raw = await rawRequest(`/v1/apps/${APP}/sessions/new`, { 'Content-Length': 'abc' });
    assert.equal(raw.status, 400);
    assert.equal((JSON.parse(raw.body) as { errorCode: string }).errorCode, 'decoding_error');
  });

  test('more than 64 tracks in one call is invalid_params 406', async () => {
    const tracks = Array.from({ length: 65 }, (_, i) => ({
      location: 'remote',
      sessionId,
      trackName: `t${i}`,
    }));
    assertError(await post(`/sessions/${sessionId}/tracks/new`, { tracks }), 406, 'invalid_params');
  });

  test('a batch mixing local and remote tracks is invalid_params 406', async () => {
    const tracks = [
      { location: 'local', mid: '0', trackName: 'a' },
      { location: 'remote', sessionId, trackName: 'b' },
    ];
    assertError(await post(`/sessions/${sessionId}/tracks/new`, { tracks }), 406, 'invalid_params');
  });

  test('bodies over 256 KiB are 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ tracks: [], pad: 'x'.repeat(300 * 1024) });
    assertError(
      await call(`/sessions/${sessionId}/tracks/new`, { method: 'POST', body: big }),
      413,
      'payload_too_large',
    );
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(10 * 1024).fill(0x20));
        controller.close();
      },
    });
    const reply = await call(`/sessions/${sessionId}/tracks/new`, {
      method: 'POST',
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    assertError(reply, 413, 'payload_too_large');
  });

  test('renegotiate without a pending SFU offer is 406; close without SDP and force:false is 406', async () => {
    const answer = { sessionDescription: { type: 'answer', sdp: chromeOffer({ sections: videoAndAudio }) } };
    assertError(await put(`/sessions/${sessionId}/renegotiate`, answer), 406, 'invalid_session_description');
    const close = await put(`/sessions/${sessionId}/tracks/close`, { tracks: [{ mid: '0' }], force: false });
    assertError(close, 406, 'invalid_params');
  });
});

describe('per-item errors', () => {
  test('pulling an unknown track is a 200 with not_found_track_error and an empty mid', async () => {
    const sessionId = await newSession();
    const reply = await post(`/sessions/${sessionId}/tracks/new`, {
      tracks: [{ location: 'remote', sessionId: 'a'.repeat(32), trackName: 'ghost' }],
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.requiresImmediateRenegotiation, false);
    const [item] = reply.body.tracks as Record<string, string>[];
    assert.equal(item.errorCode, 'not_found_track_error');
    assert.equal(item.mid, '');
    assert.equal(item.sessionId, 'a'.repeat(32));
    assert.equal(reply.body.sessionDescription, undefined);
  });

  test('pulling a track that never sends media is empty_track_error after the media wait', async () => {
    const publisher = await newSession();
    const body = pushBody(chromeOffer({ sections: [{ kind: 'video', mid: '0' }] }), ['0']);
    await post(`/sessions/${publisher}/tracks/new`, body);
    const subscriber = await newSession();
    const reply = await post(`/sessions/${subscriber}/tracks/new`, {
      tracks: [{ location: 'remote', sessionId: publisher, trackName: body.tracks[0].trackName }],
    });
    const [item] = reply.body.tracks as Record<string, string>[];
    assert.equal(item.errorCode, 'empty_track_error');
    assert.ok(reply.ms >= 4_000 && reply.ms < 8_000, `waited ${reply.ms} ms`);
  });

  test('an m-line with only unsupported codecs is rejected on its own; the rest of the offer works', async () => {
    const sessionId = await newSession();
    const sections: FixtureSection[] = [...videoAndAudio, { kind: 'video', mid: '2', codecs: 'av1-only' }];
    const reply = await post(
      `/sessions/${sessionId}/tracks/new`,
      pushBody(chromeOffer({ sections }), ['0', '1', '2']),
    );
    assert.equal(reply.status, 200);
    const tracks = reply.body.tracks as Record<string, string>[];
    assert.equal(tracks[0].errorCode, undefined);
    assert.equal(tracks[1].errorCode, undefined);
    assert.equal(tracks[2].errorCode, 'invalid_params');
    const sdp = (reply.body.sessionDescription as { sdp: string }).sdp;
    assert.match(sdp, /^m=video 0 /m, 'the AV1 section is answered with port 0');
    assert.match(sdp, /^a=group:BUNDLE 0 1$/m, 'BUNDLE leaves the rejected mid out');
  });

  test('closing unknown mids gives close_track_error items and still a valid answer', async () => {
    const sessionId = await newSession();
    await post(`/sessions/${sessionId}/tracks/new`, pushBody(chromeOffer({ sections: videoAndAudio })));
    const closeOffer = chromeOffer({
      sections: [{ kind: 'video', mid: '0', stopped: true }, videoAndAudio[1]],
    });
    const reply = await put(`/sessions/${sessionId}/tracks/close`, {
      tracks: [{ mid: '0' }, { mid: '9' }],
      sessionDescription: { type: 'offer', sdp: closeOffer },
      force: false,
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(
      (reply.body.tracks as Record<string, string>[]).map((t) => [t.mid, t.errorCode]),
      [
        ['0', undefined],
        ['9', 'close_track_error'],
      ],
    );
    assert.equal((reply.body.sessionDescription as { type: string }).type, 'answer');
  });

  test('tracks/update on an unknown mid is update_track_error', async () => {
    const sessionId = await newSession();
    const reply = await put(`/sessions/${sessionId}/tracks/update`, {
      tracks: [{ location: 'remote', mid: '7', simulcast: { preferredRid: '' } }],
    });
    assert.equal(reply.status, 200);
    assert.equal((reply.body.tracks as Record<string, string>[])[0].errorCode, 'update_track_error');
  });
});

describe('hostile SDP', () => {
  let sessionId: string;
  before(async () => {
    sessionId = await newSession();
  });

  const hostile: [string, () => string][] = [
    ['missing fingerprint', () => chromeOffer({ sections: videoAndAudio, fingerprint: false })],
    [
      'a thousand m-lines',
      () =>
        chromeOffer({
          sections: Array.from({ length: 1000 }, (_, i) => ({ kind: 'audio', mid: String(i) })),
        }),
    ],
    ['duplicate mids', () => chromeOffer({ sections: [videoAndAudio[0], { kind: 'audio', mid: '0' }] })],
    ['no BUNDLE member match', () => chromeOffer({ sections: videoAndAudio, bundle: ['0', '5'] })],
    ['not SDP at all', () => 'hello world'],
    [
      'an 8 KiB+ attribute line',
      () => chromeOffer({ sections: videoAndAudio }) + `a=x-junk:${'y'.repeat(9000)}\r\n`,
    ],
    ['200 KB of text', () => `v=0\r\n${'z'.repeat(200 * 1024)}`],
    [
      'a bad payload type',
      () =>
        chromeOffer({ sections: videoAndAudio }).replace(
          'm=audio 9 UDP/TLS/RTP/SAVPF 111',
          'm=audio 9 UDP/TLS/RTP/SAVPF 300',
        ),
    ],
    ['an unknown media kind', () => chromeOffer({ sections: videoAndAudio }).replace('m=audio', 'm=text')],
    ['NUL bytes', () => chromeOffer({ sections: videoAndAudio }).replace('s=-', 's=\u0000')],
  ];

  for (const [name, sdp] of hostile) {
    test(`${name} is a JSON 4xx in under ${FAST_MS} ms`, async () => {
      const reply = await post(`/sessions/${sessionId}/tracks/new`, pushBody(sdp()));
      assert.ok(
        reply.status >= 400 && reply.status < 500,
        `status ${reply.status}: ${JSON.stringify(reply.body)}`,
      );
      assert.equal(typeof reply.body.errorCode, 'string');
      assert.ok(reply.ms < FAST_MS, `took ${reply.ms.toFixed(1)} ms`);
    });
  }

  test('1 MB of SDP text is 413', async () => {
    const reply = await post(
      `/sessions/${sessionId}/tracks/new`,
      pushBody('v=0\r\n' + 'a'.repeat(1024 * 1024)),
    );
    assertError(reply, 413, 'payload_too_large');
  });

  test('truncated offers never give a 500, and the session keeps working', async () => {
    const offer = chromeOffer({ sections: videoAndAudio });
    for (let cut = 10; cut < offer.length; cut += 37) {
      const fuzzSession = await newSession();
      const reply = await post(`/sessions/${fuzzSession}/tracks/new`, pushBody(offer.slice(0, cut)));
      assert.ok(reply.status < 500, `cut at ${cut}: ${reply.status} ${JSON.stringify(reply.body)}`);
      assert.ok(reply.ms < FAST_MS * 5, `cut at ${cut} took ${reply.ms.toFixed(1)} ms`);
    }
    const ok = await post(`/sessions/${sessionId}/tracks/new`, pushBody(offer));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });
});

describe('robustness', () => {
  test('thousands of bad requests leave memory flat and the server answering', async () => {
    const sessionId = await newSession();
    const burst = async () => {
      for (let i = 0; i < 300; i++) {
        await post(
          `/sessions/${sessionId}/tracks/new`,
          pushBody(chromeOffer({ sections: videoAndAudio, fingerprint: false })),
        );
        await call(`/sessions/${sessionId}/tracks/new`, { method: 'POST', body: '{"x":' });
      }
    };
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await burst();
    gc();
    const before = process.memoryUsage().heapUsed;
    await burst();
    await burst();
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 8 * 1024 * 1024, `heap grew ${(grown / 1024 / 1024).toFixed(1)} MiB after GC`);
    assert.equal((await call(`/sessions/${sessionId}`)).status, 200);
  });

  test('garbage UDP to the sessions’ ports is ignored', async () => {
    const sessionId = await newSession();
    await post(`/sessions/${sessionId}/tracks/new`, pushBody(chromeOffer({ sections: videoAndAudio })));
    const ports = sfu.udpPorts();
    assert.ok(ports.length > 0, 'a negotiated session holds a UDP port');
    const socket = createSocket('udp4');
    const prefixes = [
      [0x00, 0x01, 0x00, 0x50, 0x21, 0x12, 0xa4, 0x42], // truncated STUN binding request
      [0x16, 0xfe, 0xfd, 0x00, 0x00], // truncated DTLS handshake record
      [0x17, 0xfe, 0xfd], // DTLS application data header only
      [0x80, 0x60, 0x00, 0x01], // truncated RTP
      [0x80, 0xc8, 0x00, 0x06], // truncated RTCP sender report
    ];
    for (let i = 0; i < 5_000; i++) {
      const prefix = Buffer.from(prefixes[i % prefixes.length]);
      const packet = i % 2 ? Buffer.concat([prefix, randomBytes(i % 1200)]) : randomBytes(1 + (i % 1500));
      for (const port of ports) socket.send(packet, port, '127.0.0.1');
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 300));
    socket.close();
    assert.equal((await call(`/sessions/${sessionId}`)).status, 200);
  });
});

function rawRequest(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const url = new URL(sfu.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}`, ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
