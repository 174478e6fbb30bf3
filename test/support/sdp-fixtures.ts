// Chrome-shaped SDP offers for Node tests of the local SFU (no browser needed to exercise negotiation).
import { randomBytes } from 'node:crypto';

export interface FixtureSection {
  kind: 'audio' | 'video';
  mid: string;
  direction?: 'sendonly' | 'recvonly' | 'sendrecv' | 'inactive';
  /** Port 0: a stopped/rejected section. */
  stopped?: boolean;
  /** Simulcast RIDs the browser sends. */
  rids?: string[];
  /** Replace the codec list (e.g. only AV1, which the SFU does not support). */
  codecs?: 'default' | 'av1-only';
}

export interface FixtureOptions {
  sections: FixtureSection[];
  /** Extra candidate lines, e.g. a `*.local` host or a public address the SFU must drop. */
  candidates?: string[];
  fingerprint?: boolean;
  bundle?: string[];
}

const hex = (n: number) => randomBytes(n).toString('hex');

export function fingerprint(): string {
  return randomBytes(32).toString('hex').toUpperCase().match(/../g)!.join(':');
}

/** An offer like Chromium's, with Chrome's payload types and header-extension ids. */
export function chromeOffer(options: FixtureOptions): string {
  const ufrag = hex(2);
  const pwd = hex(12);
  const fp = fingerprint();
  const live = options.sections.filter((s) => !s.stopped).map((s) => s.mid);
  const lines = [
    'v=0',
    `o=- ${BigInt('0x' + hex(7))} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    `a=group:BUNDLE ${(options.bundle ?? live).join(' ')}`,
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS',
  ];
  for (const section of options.sections) {
    lines.push(...mediaSection(section, { ufrag, pwd, fp, fingerprint: options.fingerprint !== false }));
    if (!section.stopped) lines.push(...(options.candidates ?? []));
  }
  return lines.join('\r\n') + '\r\n';
}

function mediaSection(
  s: FixtureSection,
  t: { ufrag: string; pwd: string; fp: string; fingerprint: boolean },
): string[] {
  const video = s.kind === 'video';
  const formats = video ? (s.codecs === 'av1-only' ? ['45'] : ['96', '97', '103']) : ['111'];
  const port = s.stopped ? 0 : 9;
  const lines = [
    `m=${s.kind} ${port} UDP/TLS/RTP/SAVPF ${formats.join(' ')}`,
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
  ];
  lines.push(`a=ice-ufrag:${t.ufrag}`, `a=ice-pwd:${t.pwd}`, 'a=ice-options:trickle');
  if (t.fingerprint) lines.push(`a=fingerprint:sha-256 ${t.fp}`);
  lines.push('a=setup:actpass', `a=mid:${s.mid}`);
  if (video) {
    lines.push(
      'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
      'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
      'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
      'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
    );
  } else {
    lines.push(
      'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
      'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    );
  }
  lines.push(`a=${s.direction ?? 'sendonly'}`, `a=msid:- ${hex(8)}`, 'a=rtcp-mux', 'a=rtcp-rsize');
  if (video && s.codecs === 'av1-only') {
    lines.push('a=rtpmap:45 AV1/90000', 'a=rtcp-fb:45 nack', 'a=rtcp-fb:45 nack pli');
  } else if (video) {
    for (const pt of ['96', '103']) {
      const name = pt === '96' ? 'VP8' : 'H264';
      lines.push(`a=rtpmap:${pt} ${name}/90000`);
      for (const fb of ['goog-remb', 'transport-cc', 'ccm fir', 'nack', 'nack pli'])
        lines.push(`a=rtcp-fb:${pt} ${fb}`);
    }
    lines.push('a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96');
    lines.push('a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f');
  } else {
    lines.push(
      'a=rtpmap:111 opus/48000/2',
      'a=rtcp-fb:111 transport-cc',
      'a=fmtp:111 minptime=10;useinbandfec=1',
    );
  }
  if (s.rids?.length) {
    for (const rid of s.rids) lines.push(`a=rid:${rid} send`);
    lines.push(`a=simulcast:send ${s.rids.join(';')}`);
  } else if (s.direction !== 'recvonly' && s.direction !== 'inactive') {
    const ssrc = randomBytes(4).readUInt32BE(0);
    lines.push(`a=ssrc:${ssrc} cname:${hex(8)}`);
  }
  return lines;
}
