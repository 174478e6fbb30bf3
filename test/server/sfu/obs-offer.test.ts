// The local SFU takes an offer shaped like OBS's WHIP offer (Opus 111 on mid 0, H.264 96 on mid 1, SSRC
// lines, no candidates) through `tracks/new` with `autoDiscover`, answers with its own candidate, learns the
// publisher's address from its ICE checks (peer-reflexive), and receives both streams.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { ObsPublisher } from '../../support/obs-publisher.js';
import { sfuRequest, type SfuApi } from '../../support/werift-peers.js';

describe('local SFU: an OBS-shaped offer', () => {
  let sfu: LocalSfu;
  let api: SfuApi;
  let publisher: ObsPublisher;

  before(async () => {
    sfu = await startLocalSfu({ port: 0, appId: 'obs', appSecret: 'obs-secret', onError: () => {} });
    api = {
      base: `${sfu.baseUrl}/v1/apps/obs`,
      headers: { authorization: 'Bearer obs-secret', 'content-type': 'application/json' },
    };
    publisher = await ObsPublisher.create();
  });

  after(async () => {
    await publisher?.close();
    await sfu?.close();
  });

  it('the offer carries no candidates, as OBS sends it', () => {
    assert.doesNotMatch(publisher.offer, /a=candidate/);
    assert.match(publisher.offer, /m=audio 9 UDP\/TLS\/RTP\/SAVPF 111\r\n[^]*a=mid:0/);
    assert.match(publisher.offer, /m=video 9 UDP\/TLS\/RTP\/SAVPF 96\r\n[^]*a=mid:1/);
    assert.doesNotMatch(publisher.offer, /rtx|a=rid|a=simulcast/);
  });

  it('autoDiscover publishes both m-lines; the answer has H.264 96, Opus 111 and the SFU candidate', async () => {
    const created = await sfuRequest(api, 'POST', '/sessions/new');
    assert.equal(created.status, 201);
    const sessionId = created.json.sessionId as string;
    const reply = await sfuRequest(api, 'POST', `/sessions/${sessionId}/tracks/new`, {
      sessionDescription: { type: 'offer', sdp: publisher.offer },
      autoDiscover: true,
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    const tracks = reply.json.tracks as {
      mid: string;
      trackName: string;
      kind: string;
      errorCode?: string;
    }[];
    assert.deepEqual(
      tracks.map((t) => [t.mid, t.kind, t.errorCode]),
      [
        ['0', 'audio', undefined],
        ['1', 'video', undefined],
      ],
    );
    const answer = (reply.json.sessionDescription as { sdp: string }).sdp;
    assert.match(answer, /a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/);
    assert.match(answer, /a=rtpmap:96 H264\/90000/);
    assert.match(answer, /a=rtpmap:111 opus\/48000\/2/);
    assert.match(answer, /a=recvonly/);

    await publisher.accept(answer);
    publisher.start();
    const deadline = Date.now() + 10_000;
    while (sfu.stats().packetsIn < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(sfu.stats().packetsIn >= 60, `packets reached the SFU: ${sfu.stats().packetsIn}`);
    const state = await sfuRequest(api, 'GET', `/sessions/${sessionId}`);
    const active = (state.json.tracks as { status: string; location: string }[]).filter(
      (t) => t.location === 'local' && t.status === 'active',
    );
    assert.equal(active.length, 2);
  });
});
