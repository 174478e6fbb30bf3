import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RTCRtpCodecParameters, RTCRtpSender } from 'werift';
import { keepSendCodec, matchingCodec } from '../../../server/sfu/werift-send-codec.js';

const H264 = 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f';
const codec = (payloadType: number, mimeType: string, parameters?: string) =>
  new RTCRtpCodecParameters({ payloadType, mimeType, clockRate: 90000, parameters });

/** What werift negotiates for an H.264 pull when the browser offers: the SFU's configured order, VP8 first. */
const browserOffered = [
  codec(98, 'video/VP8'),
  codec(101, 'video/rtx', 'apt=98'),
  codec(104, 'video/H264', 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f'),
  codec(96, 'video/H264', H264),
  codec(97, 'video/rtx', 'apt=96'),
];

describe('the send codec of a forwarding sender', () => {
  it('matches the publication’s codec, in its packetization mode', () => {
    assert.equal(
      matchingCodec(browserOffered, { mimeType: 'video/H264', clockRate: 90000, parameters: H264 })
        ?.payloadType,
      96,
    );
    assert.equal(matchingCodec(browserOffered, { mimeType: 'video/vp8', clockRate: 90000 })?.payloadType, 98);
    assert.equal(matchingCodec(browserOffered, { mimeType: 'video/AV1', clockRate: 90000 }), undefined);
    const modeZeroOnly = browserOffered.filter((c) => c.payloadType !== 96);
    assert.equal(
      matchingCodec(modeZeroOnly, { mimeType: 'video/H264', clockRate: 90000, parameters: H264 }),
      undefined,
      'FU-A needs packetization mode 1',
    );
  });

  it('stays on an H.264 publication’s codec, and its RTX, after a renegotiation that put VP8 first', () => {
    const sender = new RTCRtpSender('video');
    keepSendCodec(sender, { mimeType: 'video/H264', clockRate: 90000, parameters: H264 });
    sender.prepareSend({
      codecs: browserOffered,
      headerExtensions: [],
      muxId: '1',
      rtcp: { cname: 'x', ssrc: 1, mux: true },
    } as never);
    const s = sender as unknown as { codec?: RTCRtpCodecParameters; rtxPayloadType?: number };
    assert.equal(s.codec?.payloadType, 96);
    assert.equal(s.rtxPayloadType, 97);
  });
});
