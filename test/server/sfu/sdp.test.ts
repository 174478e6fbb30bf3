import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SfuError } from '../../../server/sfu/errors.js';
import {
  bundleLikeOffer,
  inspectSdp,
  stripNonLoopbackCandidates,
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
