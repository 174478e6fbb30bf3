import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SfuError } from '../../../server/sfu/errors.js';
import {
  bundleLikeOffer,
  inspectSdp,
  stripNonLoopbackCandidates,
  withOpusDtx,
  withPublishedRids,
  withSimulcastLikeOffer,
  withSessionLevelIceLite,
} from '../../../server/sfu/sdp.js';
import { chromeOffer } from '../../support/sdp-fixtures.js';

test('inspectSdp summarises sections, directions, simulcast RIDs and BUNDLE', () => {
  const summary = inspectSdp(
    chromeOffer({
      sections: [
        { kind: 'video', mid: '0', rids: ['a', 'b'] },
        { kind: 'audio', mid: '1', direction: 'recvonly' },
        { kind: 'video', mid: '2', stopped: true },
      ],
    }),
  );
  assert.deepEqual(
    summary.media.map((m) => [m.mid, m.kind, m.port, m.direction, m.sendRids]),
    [
      ['0', 'video', 9, 'sendonly', ['a', 'b']],
      ['1', 'audio', 9, 'recvonly', []],
      ['2', 'video', 0, 'sendonly', []],
    ],
  );
  assert.deepEqual(summary.bundle, [['0', '1']]);
});

test('inspectSdp rejects what werift would choke on', () => {
  const reject = (sdp: string, pattern: RegExp) =>
    assert.throws(
      () => inspectSdp(sdp),
      (e: unknown) => e instanceof SfuError && pattern.test(e.errorDescription),
    );
  reject('x=1', /v=0/);
  reject(chromeOffer({ sections: [{ kind: 'audio', mid: '0' }], fingerprint: false }), /fingerprint/);
  reject(
    chromeOffer({
      sections: [
        { kind: 'audio', mid: '0' },
        { kind: 'video', mid: '0' },
      ],
    }),
    /duplicate mid/,
  );
  reject(chromeOffer({ sections: [{ kind: 'audio', mid: '0' }], bundle: ['0', '7'] }), /unknown mid/);
  reject('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n', /no media/);
  reject(
    chromeOffer({
      sections: Array.from({ length: 300 }, (_, i) => ({ kind: 'audio' as const, mid: String(i) })),
    }),
    /m-lines/,
  );
});

test('stripNonLoopbackCandidates keeps only 127/8 and ::1 candidates', () => {
  const sdp = [
    'a=candidate:1 1 udp 1 127.0.0.1 5000 typ host',
    'a=candidate:2 1 udp 1 host.local 5001 typ host',
    'a=candidate:3 1 udp 1 192.168.1.7 5002 typ host',
    'a=candidate:4 1 udp 1 ::1 5003 typ host',
    'a=mid:0',
  ].join('\r\n');
  assert.equal(
    stripNonLoopbackCandidates(sdp),
    [
      'a=candidate:1 1 udp 1 127.0.0.1 5000 typ host',
      'a=candidate:4 1 udp 1 ::1 5003 typ host',
      'a=mid:0',
    ].join('\r\n'),
  );
});

test('withSessionLevelIceLite copies a=ice-lite above the first m-line once', () => {
  const sdp = ['v=0', 's=-', 't=0 0', 'm=audio 9 X 0', 'a=ice-lite'].join('\r\n');
  const out = withSessionLevelIceLite(sdp);
  assert.deepEqual(out.split('\r\n').slice(0, 4), ['v=0', 's=-', 't=0 0', 'a=ice-lite']);
  assert.equal(withSessionLevelIceLite(out), out);
});

test("bundleLikeOffer keeps the offerer's tag and order, without the mids the answer rejected", () => {
  const answer = [
    'v=0',
    'a=group:BUNDLE 1 2',
    'm=video 9 X 96',
    'a=mid:2',
    'm=video 9 X 96',
    'a=mid:1',
    'm=audio 0 X 111',
    'a=mid:3',
  ].join('\r\n');
  const out = bundleLikeOffer(answer, [['2', '1', '3']]);
  assert.match(out, /^a=group:BUNDLE 2 1$/m);
  assert.equal(out.split('\r\n').filter((l) => l.startsWith('a=group')).length, 1);
});

test('withOpusDtx adds usedtx=1 to every opus fmtp of audio sections, once, and nothing else', () => {
  const sdp = [
    'v=0',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63',
    'a=mid:0',
    'a=rtpmap:111 opus/48000/2',
    'a=rtpmap:63 red/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1;usedtx=0',
    'a=fmtp:63 111/111',
    'm=audio 9 UDP/TLS/RTP/SAVPF 109',
    'a=mid:1',
    'a=rtpmap:109 OPUS/48000/2',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:2',
    'a=rtpmap:96 VP8/90000',
    'a=fmtp:96 max-fr=30',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'a=mid:3',
    '',
  ].join('\r\n');
  const out = withOpusDtx(sdp);
  const lines = out.split('\r\n');
  assert.ok(lines.includes('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1'));
  assert.ok(lines.includes('a=fmtp:63 111/111'));
  // An opus payload type without fmtp gets one, inside its own section.
  assert.equal(lines.indexOf('a=fmtp:109 usedtx=1'), lines.indexOf('a=rtpmap:109 OPUS/48000/2') + 1);
  assert.ok(lines.includes('a=fmtp:96 max-fr=30'));
  assert.equal(lines.filter((l) => l.includes('usedtx')).length, 2);
  assert.ok(out.endsWith('a=mid:3\r\n'));
  assert.equal(withOpusDtx(out), out);
});

test("withPublishedRids puts a browser's simulcast RIDs back on its m-line in an SFU offer", () => {
  const remote = [
    'v=0',
    'm=video 9 X 96',
    'a=mid:1',
    'a=rid:f send',
    'a=rid:h send',
    'a=simulcast:send f;~h',
    '',
  ];
  const offer = [
    'v=0',
    'm=audio 9 X 111',
    'a=mid:0',
    'm=video 9 X 96',
    'a=mid:1',
    'a=recvonly',
    'm=video 9 X 96',
    'a=mid:2',
    'a=sendonly',
    '',
  ].join('\r\n');
  const out = withPublishedRids(offer, remote.join('\r\n'));
  assert.equal(
    out,
    [
      'v=0',
      'm=audio 9 X 111',
      'a=mid:0',
      'm=video 9 X 96',
      'a=mid:1',
      'a=recvonly',
      'a=rid:f recv',
      'a=rid:h recv',
      'a=simulcast:recv f;h',
      'm=video 9 X 96',
      'a=mid:2',
      'a=sendonly',
      '',
    ].join('\r\n'),
  );
  // Already there, or nothing to add: unchanged.
  assert.equal(withPublishedRids(out, remote.join('\r\n')), out);
  assert.equal(withPublishedRids(offer, undefined), offer);
  // The last section too.
  const last = withPublishedRids(['v=0', 'm=video 9 X 96', 'a=mid:1', ''].join('\r\n'), remote.join('\r\n'));
  assert.ok(last.endsWith('a=mid:1\r\na=rid:f recv\r\na=rid:h recv\r\na=simulcast:recv f;h\r\n'));
});

test('withSimulcastLikeOffer answers each simulcast m-line with the offer’s list, paused layers included', () => {
  const offer = [
    'v=0',
    'm=video 9 X 96',
    'a=mid:0',
    'a=simulcast:send ~f;~h;q',
    'm=video 9 X 96',
    'a=mid:1',
    '',
  ];
  const answer = [
    'v=0',
    'm=video 9 X 96',
    'a=mid:0',
    'a=simulcast:recv f;h;q ',
    'm=video 9 X 96',
    'a=mid:1',
    '',
  ].join('\r\n');
  const out = withSimulcastLikeOffer(answer, offer.join('\n'));
  assert.equal(out, answer.replace('a=simulcast:recv f;h;q ', 'a=simulcast:recv ~f;~h;q'));
  assert.equal(withSimulcastLikeOffer(answer, ''), answer);
});
