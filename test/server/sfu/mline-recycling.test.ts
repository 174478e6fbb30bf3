// A session that stays while other participants come and go (reliability finding 14): each pull is a new
// m-line in the SFU's offer, and without recycling the closed ones its transceivers and SDP grow with every
// cycle until the proxy's body cap refuses the renegotiation. 200 pull/close cycles against one staying
// session: transceivers stay bounded, the cycle time stays flat, the BUNDLE-tag m-line is never recycled,
// and media arrives on the last pull.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLocalSfu, type LocalSfu } from '../../../server/sfu/index.js';
import { SyntheticPublisher, type SfuApi } from '../../support/werift-peers.js';
import { StayingPeer } from '../../support/werift-staying-peer.js';
import { mLineIndexOfMid } from '../../../server/sfu/werift-mline-recycling.js';

let sfu: LocalSfu;
let api: SfuApi;
const closers: (() => Promise<unknown>)[] = [];

before(async () => {
  sfu = await startLocalSfu({ port: 0, appId: 'churn', appSecret: 'churn' });
  api = {
    base: `${sfu.baseUrl}/v1/apps/churn`,
    headers: { authorization: 'Bearer churn', 'content-type': 'application/json' },
  };
});

after(async () => {
  for (const close of closers.reverse()) await close();
  await sfu.close();
});

async function publisher(): Promise<SyntheticPublisher> {
  const p = await SyntheticPublisher.create(api, 200);
  closers.push(() => p.close());
  p.sendOne(true);
  p.start(30);
  return p;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('200 pull/close cycles against one staying session: bounded m-lines, flat cycle time, media on the last pull', async (t) => {
  const [steady, churning] = await Promise.all([publisher(), publisher()]);
  const stayer = await StayingPeer.create(api);
  closers.push(() => stayer.leave());
  // A pull that stays open for the whole test: it holds the BUNDLE tag (mid 0).
  const steadyMid = await stayer.pull(steady);
  const baseline = sfu.stats().transceivers;

  const cycleMs: number[] = [];
  const transceivers: number[] = [];
  let lastMid = '';
  for (let cycle = 0; cycle < 200; cycle++) {
    const started = performance.now();
    lastMid = await stayer.pull(churning);
    assert.notEqual(lastMid, steadyMid);
    if (cycle < 199) await stayer.close(lastMid);
    cycleMs.push(performance.now() - started);
    transceivers.push(sfu.stats().transceivers);
    assert.ok(transceivers[cycle] <= baseline + 2, `cycle ${cycle}: ${transceivers[cycle]} transceivers`);
  }

  const most = Math.max(...transceivers);
  const first = median(cycleMs.slice(0, 20));
  const last = median(cycleMs.slice(-20));
  t.diagnostic(
    `cycle median ${first.toFixed(0)} ms (first 20), ${last.toFixed(0)} ms (last 20); transceivers ${baseline} → at most ${most}; SDP ${stayer.sdpBytes} B`,
  );
  assert.ok(most <= baseline + 2, `transceivers stay bounded: baseline ${baseline}, at most ${most}`);
  assert.ok(stayer.pc.getTransceivers().length <= 3, `the peer's own m-lines stay bounded`);
  assert.ok(stayer.sdpBytes < 8_000, `the SDP stays small: ${stayer.sdpBytes} bytes`);
  assert.ok(
    last < first * 3 + 50, // generous: the machine is shared, and without recycling the run took 5x as long
    `the cycle time stays flat: median ${first.toFixed(1)} ms first 20, ${last.toFixed(1)} ms last 20`,
  );

  const arrived = () => stayer.packetsByMid.get(lastMid) ?? 0;
  const before = arrived();
  const steadyBefore = stayer.packetsByMid.get(steadyMid) ?? 0;
  await sleep(1_500);
  assert.ok(arrived() > before, `media arrives on the last pull (mid ${lastMid})`);
  assert.ok((stayer.packetsByMid.get(steadyMid) ?? 0) > steadyBefore, 'and still on the steady pull');
});

test('the closed BUNDLE-tag m-line (mid 0) is not recycled while another pull is open', async () => {
  const [first, second] = await Promise.all([publisher(), publisher()]);
  const stayer = await StayingPeer.create(api);
  closers.push(() => stayer.leave());
  const tagMid = await stayer.pull(first); // m-line 0, the BUNDLE tag
  const openMid = await stayer.pull(second);
  await stayer.close(tagMid);

  for (let i = 0; i < 3; i++) {
    const mid = await stayer.pull(first);
    const offer = stayer.pc.remoteDescription?.sdp ?? '';
    const sections = offer.split(/^m=/m).slice(1);
    assert.match(sections[0], /^video 0 /, `pull ${i}: m-line 0 stays closed`);
    assert.doesNotMatch(sections[0], new RegExp(`^a=mid:${mid}\\r?$`, 'm'));
    assert.ok(sections.length <= 4, `pull ${i}: ${sections.length} m-lines`);
    const before = stayer.packetsByMid.get(mid) ?? 0;
    await sleep(600);
    assert.ok((stayer.packetsByMid.get(mid) ?? 0) > before, `pull ${i}: media arrives on mid ${mid}`);
    await stayer.close(mid);
  }
  const before = stayer.packetsByMid.get(openMid) ?? 0;
  await sleep(600);
  assert.ok((stayer.packetsByMid.get(openMid) ?? 0) > before, 'the pull that stayed open still receives');
});

test('finds the m-line of a BUNDLE tag that is no transceiver’s: a session that connected its DataChannels first', () => {
  const sdp = [
    'v=0',
    'a=group:BUNDLE 0 1 2',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'a=mid:0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:1',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=mid:2',
    '',
  ].join('\r\n');
  assert.equal(mLineIndexOfMid(sdp, '0'), 0);
  assert.equal(mLineIndexOfMid(sdp, '2'), 2);
  assert.equal(mLineIndexOfMid(sdp, '10'), undefined, 'a mid that starts like another is not it');
  assert.equal(mLineIndexOfMid(undefined, '0'), undefined);
});
