// WHIP and WHEP on the call server with the local SFU, on Node and on the Worker (whose room objects serve
// them), with the same assertions: what is refused (401, 403, 415, 413, 404, 405; JSON, never a redirect),
// the RFC 9725 details an encoder relies on, and cleanup when a publisher vanishes without a DELETE (its
// participant leaves and the SFU returns to zero).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCallToken } from '../../../server/core/call-token.js';
import { ObsPublisher } from '../../support/obs-publisher.js';
import { streamRuntimes, type StreamStack } from '../../support/stream-stacks.js';
import { TEST_TOKEN_SECRET } from '../../support/test-secrets.js';
import { publishWhip } from '../../support/whip-client.js';
import { REFUSED_UPLOAD_HEADERS } from '../../support/refused-upload.js';
import { assertSfuIdle } from '../../support/sfu-idle.js';

const ROOM = 'standup';

const token = (
  options: { room?: string; userId?: string; canPublish?: boolean; canSubscribe?: boolean } = {},
) =>
  createCallToken({
    secret: TEST_TOKEN_SECRET,
    room: options.room ?? ROOM,
    userId: options.userId ?? 'encoder',
    name: 'Encoder',
    canPublish: options.canPublish ?? true,
    canSubscribe: options.canSubscribe ?? true,
  });

interface Reply {
  status: number;
  headers: Headers;
  json?: { errorCode?: string; errorDescription?: string };
}

for (const runtime of streamRuntimes) {
  describe(`WHIP and WHEP routes: ${runtime.name}`, () => {
    let stack: StreamStack;
    let offer: string;
    const statuses: number[] = [];

    async function send(path: string, init: RequestInit & { bearer?: string } = {}): Promise<Reply> {
      const headers = new Headers(init.headers);
      if (init.bearer) headers.set('authorization', `Bearer ${init.bearer}`);
      const response = await fetch(new URL(path, stack.url), { ...init, headers, redirect: 'manual' });
      statuses.push(response.status);
      const text = await response.text();
      const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
      return { status: response.status, headers: response.headers, json };
    }

    function assertRefused(reply: Reply, status: number): void {
      assert.equal(reply.status, status, JSON.stringify(reply.json));
      assert.equal(typeof reply.json?.errorCode, 'string');
      assert.equal(typeof reply.json?.errorDescription, 'string');
    }

    const sdp = { 'content-type': 'application/sdp' };

    before(async () => {
      stack = await runtime.start();
      const publisher = await ObsPublisher.create();
      offer = publisher.offer;
      await publisher.close();
    });

    after(async () => {
      await stack?.close();
    });

    it('WHIP refuses: no token 401, a viewer token 403, another room 403, wrong type 415, oversized 413', async () => {
      const noToken = await send(`/whip/${ROOM}`, { method: 'POST', headers: sdp, body: offer });
      assertRefused(noToken, 401);
      assert.equal(noToken.headers.get('www-authenticate'), 'Bearer');
      assertRefused(
        await send(`/whip/${ROOM}`, {
          method: 'POST',
          headers: sdp,
          body: offer,
          bearer: await token({ canPublish: false }),
        }),
        403,
      );
      assertRefused(
        await send(`/whip/${ROOM}`, {
          method: 'POST',
          headers: sdp,
          body: offer,
          bearer: await token({ room: 'other' }),
        }),
        403,
      );
      assertRefused(
        await send(`/whip/${ROOM}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sdp: offer }),
          bearer: await token(),
        }),
        415,
      );
      assertRefused(
        await send(`/whip/${ROOM}`, {
          method: 'POST',
          headers: { ...sdp, ...REFUSED_UPLOAD_HEADERS },
          body: 'v=0\r\n'.padEnd(200_000, 'a'),
          bearer: await token(),
        }),
        413,
      );
      assertRefused(
        await send(`/whip/${ROOM}`, { method: 'POST', headers: sdp, body: 'hello', bearer: await token() }),
        400,
      );
      assert.equal(stack.localSfu.stats().sessions, 0, 'nothing reached the SFU');
    });

    it('OPTIONS advertises application/sdp; GET is 405', async () => {
      const options = await send(`/whip/${ROOM}`, { method: 'OPTIONS' });
      assert.equal(options.status, 204);
      assert.equal(options.headers.get('accept-post'), 'application/sdp');
      assertRefused(await send(`/whip/${ROOM}`, { method: 'GET' }), 405);
      assert.equal(
        (await send(`/whep/${ROOM}`, { method: 'OPTIONS' })).headers.get('accept-post'),
        'application/sdp',
      );
    });

    it('a stream resource: PATCH 405, another room 404, another user 403, then DELETE 200 and 404 after', async () => {
      const whip = await publishWhip(new URL(`/whip/${ROOM}`, stack.url).href, await token());
      const path = new URL(whip.resource).pathname;
      const patch = await send(path, {
        method: 'PATCH',
        headers: { 'content-type': 'application/trickle-ice-sdpfrag' },
        body: 'a=end-of-candidates',
        bearer: await token(),
      });
      assertRefused(patch, 405);
      assert.equal(patch.headers.get('allow'), 'DELETE, OPTIONS');
      const otherRoom = path.replace(`/whip/${ROOM}/`, '/whip/other/');
      assertRefused(await send(otherRoom, { method: 'DELETE', bearer: await token({ room: 'other' }) }), 404);
      assertRefused(
        await send(path, { method: 'DELETE', bearer: await token({ userId: 'someone-else' }) }),
        403,
      );
      assertRefused(await send(path, { method: 'DELETE' }), 401);
      assert.equal(await stack.streamCount(ROOM), 1);
      assert.equal(await whip.stop(), 200);
      assertRefused(await send(path, { method: 'DELETE', bearer: await token() }), 404);
    });

    it('WHEP refuses: no token 401, no subscribe right 403, nobody publishing 404, wrong type 415', async () => {
      const viewer = await ObsPublisher.create(); // any SDP offer will do for the refusals
      assertRefused(await send(`/whep/${ROOM}`, { method: 'POST', headers: sdp, body: viewer.offer }), 401);
      assertRefused(
        await send(`/whep/${ROOM}`, {
          method: 'POST',
          headers: sdp,
          body: viewer.offer,
          bearer: await token({ canSubscribe: false }),
        }),
        403,
      );
      assertRefused(
        await send(`/whep/${ROOM}`, {
          method: 'POST',
          headers: sdp,
          body: viewer.offer,
          bearer: await token(),
        }),
        404,
      );
      assertRefused(
        await send(`/whep/${ROOM}/nobody`, { method: 'POST', headers: sdp, body: '', bearer: await token() }),
        404,
      );
      assertRefused(
        await send(`/whep/${ROOM}`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: viewer.offer,
          bearer: await token(),
        }),
        415,
      );
      assertRefused(
        await send(`/whep/${ROOM}/viewers/0123456789abcdef0123456789abcdef`, { method: 'DELETE' }),
        404,
      );
      await viewer.close();
    });

    it('a publisher that vanishes without DELETE leaves the room, and the SFU returns to zero', async () => {
      const whip = await publishWhip(
        new URL(`/whip/${ROOM}`, stack.url).href,
        await token({ userId: 'vanishing' }),
      );
      const lobby = async () => {
        const reply = await fetch(new URL(`/rooms/${ROOM}`, stack.url), {
          headers: { authorization: `Bearer ${await token()}` },
        });
        return ((await reply.json()) as { participants: { id: string }[] }).participants.map((p) => p.id);
      };
      assert.deepEqual(await lobby(), ['whip:vanishing']);
      await whip.publisher.close(); // OBS crashed: no DELETE
      const sfu = stack.localSfu;
      const deadline = Date.now() + 40_000;
      while (((await stack.streamCount(ROOM)) > 0 || sfu.stats().sessions > 0) && Date.now() < deadline) {
        sfu.sweep();
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(await stack.streamCount(ROOM), 0);
      assert.deepEqual(await lobby(), []);
      assertSfuIdle(sfu.stats());
    });

    it('never answered with a redirect', () => {
      assert.ok(statuses.length >= 15, `${statuses.length} replies checked`);
      assert.ok(
        statuses.every((s) => s < 300 || s >= 400),
        statuses.join(','),
      );
    });
  });
}
