// Text-level SDP checks and rewrites. werift's parser trusts its input (bare `Error()`s, `!` assertions),
// so every browser SDP is inspected here first and rejected with a JSON error when it is hostile.
import { errors } from './errors.js';
import { MAX_MEDIA_SECTIONS } from './limits.js';
import { isLoopbackAddress } from './loopback.js';

const MAX_LINE_LENGTH = 8 * 1024;
const MID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const RID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
const KINDS = new Set(['audio', 'video', 'application']);

export type MediaKind = 'audio' | 'video' | 'application';
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface MediaSection {
  index: number;
  kind: MediaKind;
  port: number;
  mid: string;
  direction: Direction;
  /** RIDs the offerer sends (`a=simulcast:send …`), empty without simulcast. */
  sendRids: string[];
}

export interface SdpSummary {
  media: MediaSection[];
  bundle: string[][];
}

const invalid = (why: string) => errors.invalidSdp(`Invalid SDP: ${why}`);

/**
 * Validates a browser offer or answer cheaply (linear, no werift) and summarises its media sections.
 * Throws a 400-class `SfuError` for anything werift could choke on or that breaks BUNDLE.
 */
export function inspectSdp(sdp: unknown): SdpSummary {
  if (typeof sdp !== 'string' || sdp.length === 0)
    throw errors.decoding('sessionDescription.sdp must be a string');
  if (!sdp.startsWith('v=0')) throw invalid('must start with v=0');
  const lines = sdp.split(/\r?\n/);
  const media: MediaSection[] = [];
  const bundle: string[][] = [];
  const session = { fingerprint: false, ufrag: false, pwd: false };
  let current:
    (MediaSection & { fingerprint: boolean; ufrag: boolean; pwd: boolean; hasMid: boolean }) | undefined;

  for (const line of lines) {
    if (line.length > MAX_LINE_LENGTH) throw invalid('line too long');
    if (line.length === 0) continue;
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) throw invalid('control characters');
    if (line.startsWith('m=')) {
      if (current) media.push(finishSection(current));
      if (media.length >= MAX_MEDIA_SECTIONS) throw invalid(`more than ${MAX_MEDIA_SECTIONS} m-lines`);
      const [kind, port, proto, ...formats] = line.slice(2).split(' ');
      if (!KINDS.has(kind)) throw invalid(`unsupported media kind ${JSON.stringify(kind.slice(0, 20))}`);
      const portNumber = Number(port);
      if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) throw invalid('bad port');
      if (!proto || formats.length === 0) throw invalid('m-line needs a protocol and formats');
      if (kind !== 'application' && formats.some((f) => !isPayloadType(f))) throw invalid('bad payload type');
      current = {
        index: media.length,
        kind: kind as MediaKind,
        port: portNumber,
        mid: '',
        direction: 'sendrecv',
        sendRids: [],
        fingerprint: false,
        ufrag: false,
        pwd: false,
        hasMid: false,
      };
      continue;
    }
    if (!line.startsWith('a=')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line.slice(2) : line.slice(2, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1);
    const scope = current ?? session;
    switch (name) {
      case 'fingerprint':
        if (!/^[A-Za-z0-9-]+ [0-9A-Fa-f:]+$/.test(value)) throw invalid('bad fingerprint');
        scope.fingerprint = true;
        break;
      case 'ice-ufrag':
        scope.ufrag = value.length > 0;
        break;
      case 'ice-pwd':
        scope.pwd = value.length > 0;
        break;
      case 'group':
        if (value.startsWith('BUNDLE')) bundle.push(value.split(' ').slice(1).filter(Boolean));
        break;
      case 'mid':
        if (!current) throw invalid('a=mid outside a media section');
        if (current.hasMid) throw invalid('two a=mid lines in one media section');
        if (!MID_PATTERN.test(value)) throw invalid('bad mid');
        current.mid = value;
        current.hasMid = true;
        break;
      case 'sendrecv':
      case 'sendonly':
      case 'recvonly':
      case 'inactive':
        if (current) current.direction = name;
        break;
      case 'rtpmap':
      case 'fmtp':
      case 'rtcp-fb':
        if (!isPayloadType(value.split(' ')[0]) && value.split(' ')[0] !== '*')
          throw invalid(`bad a=${name}`);
        break;
      case 'simulcast':
        if (current) current.sendRids = parseSimulcastSend(value);
        break;
      case 'rid': {
        const rid = value.split(' ')[0];
        if (!RID_PATTERN.test(rid)) throw invalid('bad rid');
        break;
      }
      case 'candidate':
        if (value.split(' ').length < 8) throw invalid('bad candidate');
        break;
    }
  }
  if (current) media.push(finishSection(current));

  if (media.length === 0) throw invalid('no media sections');
  const mids = new Set<string>();
  for (const m of media) {
    if (mids.has(m.mid)) throw invalid(`duplicate mid ${m.mid}`);
    mids.add(m.mid);
  }
  const live = media.filter((m) => m.port !== 0);
  if (live.length > 0) {
    const transport = (key: 'fingerprint' | 'ufrag' | 'pwd') =>
      session[key] || live.every((m) => (m as unknown as Record<string, boolean>)[key]);
    if (!transport('fingerprint')) throw invalid('missing a=fingerprint');
    if (!transport('ufrag') || !transport('pwd')) throw invalid('missing ICE credentials');
    if (bundle.length === 0) throw invalid('no BUNDLE group (the local SFU bundles everything)');
  }
  for (const group of bundle) {
    for (const mid of group) if (!mids.has(mid)) throw invalid(`BUNDLE names unknown mid ${mid}`);
  }
  return { media, bundle };

  function finishSection(section: NonNullable<typeof current>): MediaSection {
    if (!section.hasMid) throw invalid('media section without a=mid');
    // The per-section transport flags are kept on the object for the check above.
    return section;
  }
}

function isPayloadType(token: string | undefined): boolean {
  if (!token || !/^\d{1,3}$/.test(token)) return false;
  const pt = Number(token);
  return pt >= 0 && pt <= 127;
}

/** `a=simulcast:send a;b;~c recv …` → ['a', 'b'] (paused `~` alternatives dropped). */
function parseSimulcastSend(value: string): string[] {
  const parts = value.trim().split(/\s+/);
  const sendIndex = parts.indexOf('send');
  if (sendIndex === -1 || !parts[sendIndex + 1]) return [];
  const rids = parts[sendIndex + 1]
    .split(';')
    .map((alt) => alt.split(',')[0])
    .filter((rid) => !rid.startsWith('~'));
  if (rids.length > 8 || rids.some((rid) => !RID_PATTERN.test(rid))) throw invalid('bad a=simulcast');
  return rids;
}

/**
 * Drops every candidate that is not loopback: werift would resolve `*.local` names with multicast DNS,
 * and the local SFU never reaches beyond this machine.
 */
export function stripNonLoopbackCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || isLoopbackAddress(line.split(' ')[4]))
    .join('\r\n');
}

/** Normalises line endings to CRLF, which werift's parser expects. */
export function toCrlf(sdp: string): string {
  return sdp.replace(/\r?\n/g, '\r\n');
}

/**
 * libwebrtc reads `a=ice-lite` only at session level; werift writes it per media section. Copy it up so a
 * browser answering an SFU offer knows it must be the controlling agent.
 */
export function withSessionLevelIceLite(sdp: string): string {
  if (!sdp.includes('a=ice-lite')) return sdp;
  const lines = sdp.split('\r\n');
  const firstMedia = lines.findIndex((l) => l.startsWith('m='));
  const sessionPart = firstMedia === -1 ? lines : lines.slice(0, firstMedia);
  if (sessionPart.includes('a=ice-lite')) return sdp;
  const timing = lines.findIndex((l) => l.startsWith('t='));
  lines.splice(timing + 1, 0, 'a=ice-lite');
  return lines.join('\r\n');
}

/**
 * Puts the answer's BUNDLE group in the offer's order, minus the mids the answer rejected. werift moves
 * its previously negotiated tag to the front, but the answerer must keep the offerer's tag (RFC 8843
 * §7.3.1): when Chrome reuses slot 0 with a new mid it makes that mid the tag and moves its transport
 * there; an answer naming the old tag first leaves Chrome and werift on different transports.
 */
export function bundleLikeOffer(answer: string, offerBundle: readonly string[][]): string {
  const lines = answer.split('\r\n');
  const accepted = new Set<string>();
  let port = '';
  for (const line of lines) {
    if (line.startsWith('m=')) port = line.split(' ')[1];
    else if (line.startsWith('a=mid:') && port !== '0') accepted.add(line.slice(6));
  }
  const groups = offerBundle
    .map((group) => group.filter((mid) => accepted.has(mid)))
    .filter((g) => g.length > 0);
  const out: string[] = [];
  let written = false;
  for (const line of lines) {
    if (!line.startsWith('a=group:BUNDLE')) {
      out.push(line);
      continue;
    }
    if (!written) out.push(...groups.map((g) => `a=group:BUNDLE ${g.join(' ')}`));
    written = true;
  }
  return out.join('\r\n');
}

/**
 * Asks every Opus sender to use DTX: `usedtx=1` on each opus payload type's fmtp of the SFU's answers and
 * offers (a renegotiation's offer re-describes the browser's microphone m-line, and without it undoes DTX). The
 * parameter is the receiver's wish (RFC 7587 §6.1) and a browser's encoder follows its remote description's,
 * so a muted or silent microphone then sends about 5 packets a second instead of 50, and the SFU's
 * event loop (and every subscriber's) wakes that much less. Speech is coded as before.
 */
export function withOpusDtx(sdp: string): string {
  const lines = sdp.split('\r\n');
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
  // Sections: the session part, then one per m-line.
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    sections.at(-1)!.push(line);
  }
  const out = sections.flatMap((section) => {
    const opus = section.flatMap((l) => /^a=rtpmap:(\d+) opus\/48000/i.exec(l)?.[1] ?? []);
    if (!section[0]?.startsWith('m=audio') || opus.length === 0) return section;
    const withFmtp = new Set<string>();
    const rewritten = section.map((line) => {
      const fmtp = /^a=fmtp:(\d+)(?: (.*))?$/.exec(line);
      if (!fmtp || !opus.includes(fmtp[1]!)) return line;
      withFmtp.add(fmtp[1]!);
      const params = (fmtp[2] ?? '')
        .split(';')
        .map((p) => p.trim())
        .filter((p) => p && !/^usedtx=/i.test(p));
      return `a=fmtp:${fmtp[1]} ${[...params, 'usedtx=1'].join(';')}`;
    });
    return [...rewritten, ...opus.filter((pt) => !withFmtp.has(pt)).map((pt) => `a=fmtp:${pt} usedtx=1`)];
  });
  if (trailing !== undefined) out.push(trailing);
  return out.join('\r\n');
}

/**
 * Keeps each browser's simulcast in the SFU's offers. werift re-describes a published m-line without its
 * `a=rid` and `a=simulcast` lines, and a browser answering such an offer drops every layer but the first: the
 * first participant of a room lost its simulcast at its first pull. The RIDs come from `remoteSdp`, the
 * browser's last description (paused `~` ones included: `setParameters` may resume them).
 */
export function withPublishedRids(sdp: string, remoteSdp: string | undefined): string {
  if (!remoteSdp) return sdp;
  const ridsByMid = new Map<string, string[]>();
  for (const section of remoteSdp.split(/\r?\n(?=m=)/)) {
    const mid = /^a=mid:(\S+)$/m.exec(section)?.[1];
    const rids = [...section.matchAll(/^a=rid:(\S+) send\b/gm)].map((m) => m[1]!);
    if (mid && rids.length > 0) ridsByMid.set(mid, rids);
  }
  if (ridsByMid.size === 0) return sdp;
  return sdp
    .split(/\r\n(?=m=)/)
    .map((section) => {
      const rids = ridsByMid.get(/^a=mid:(\S+)$/m.exec(section)?.[1] ?? '');
      if (!rids || !section.startsWith('m=video') || /^a=(rid|simulcast):/m.test(section)) return section;
      const lines = [...rids.map((rid) => `a=rid:${rid} recv`), `a=simulcast:recv ${rids.join(';')}`];
      const end = section.endsWith('\r\n') ? '' : '\r\n';
      return `${section}${end}${lines.join('\r\n')}${end ? '' : '\r\n'}`;
    })
    .join('\r\n');
}

/**
 * Answers each simulcast m-line with the offer's own `a=simulcast:send` list, paused (`~`) layers included.
 * werift answers every RID unpaused, and a browser applies an answer's pause state to its encodings: the
 * layers a page had turned off (`active: false`, e.g. a camera that is off) came back on at every push.
 */
export function withSimulcastLikeOffer(answer: string, offer: string): string {
  const sendByMid = new Map<string, string>();
  for (const section of offer.split(/\r?\n(?=m=)/)) {
    const mid = /^a=mid:(\S+)\r?$/m.exec(section)?.[1];
    const send = /^a=simulcast:send (\S+)/m.exec(section)?.[1];
    if (mid && send) sendByMid.set(mid, send);
  }
  if (sendByMid.size === 0) return answer;
  return answer
    .split(/\r\n(?=m=)/)
    .map((section) => {
      const send = sendByMid.get(/^a=mid:(\S+)$/m.exec(section)?.[1] ?? '');
      return send ? section.replace(/^a=simulcast:recv .*$/m, `a=simulcast:recv ${send}`) : section;
    })
    .join('\r\n');
}
