// Which closed m-line a new pull may take over, in werift 0.25 (reliability finding 14). A session lives
// as long as its page and pulls a track for every participant who comes by: with every pull on a new m-line,
// a page that stays through 100 joins and leaves carried 216 m-lines, each offer grew with them, and the
// proxy's body cap finally refused the renegotiation. Browsers recycle the m-line of a stopped transceiver
// (JSEP §5.2.2) and so does werift, which the SFU had switched off because of the BUNDLE tag: a recycled
// slot in front of the tag would lead the SFU offer's BUNDLE group and move the tag (README, "Closing the
// BUNDLE-tag track").
//
// So werift may recycle, with a new mid, an m-line whose close was negotiated (port 0 in both
// descriptions), of the same kind, and after the BUNDLE tag's m-line (never the tag itself or one before
// it). partytracks stops a pull's transceiver before it closes the track so that Cloudflare's SFU can reuse
// the m-line (cloudflare/partykit#183, #192), and Chrome takes a recycled m-line as a new transceiver.
import type { RTCPeerConnection } from 'werift';
import { requireMethod } from './werift-guard.js';

interface TransceiverLike {
  kind: string;
  mid?: string | null;
  mLineIndex?: number;
  stopped: boolean;
  sender: unknown;
  receiver: unknown;
}
interface TransceiverManagerInternals {
  transceivers: TransceiverLike[];
  findReusableTransceiver(kind: string): TransceiverLike | undefined;
  takeOverMLine(previous: TransceiverLike, next: TransceiverLike): void;
}
interface RouterInternals {
  ssrcTable: Record<number, unknown>;
  ridTable: Record<string, unknown>;
}

/** The first mid of each BUNDLE group in `sdp` (the offerer's or answerer's tag). */
function bundleTags(sdp: string | undefined): string[] {
  return [...(sdp ?? '').matchAll(/^a=group:BUNDLE (\S+)/gm)].map((m) => m[1]);
}

/** The position of the m-section with this mid in `sdp`: how to find a tag that is no transceiver's (SCTP). */
export function mLineIndexOfMid(sdp: string | undefined, mid: string): number | undefined {
  const sections = (sdp ?? '').split(/^m=/m).slice(1);
  const index = sections.findIndex((section) => section.split(/\r?\n/).includes(`a=mid:${mid}`));
  return index < 0 ? undefined : index;
}

/**
 * Lets werift give a new pull the m-line of a closed track, safely (see above). `onRecycled` hears of the
 * m-line taken over, for the SFU's own per-mid tables.
 */
export function recycleClosedMLines(
  pc: RTCPeerConnection,
  onRecycled: (previous: TransceiverLike) => void,
): void {
  const manager = (pc as unknown as { transceiverManager: TransceiverManagerInternals }).transceiverManager;
  const router = (pc as unknown as { router: RouterInternals }).router;
  requireMethod(manager, 'findReusableTransceiver', 'TransceiverManager');
  requireMethod(manager, 'takeOverMLine', 'TransceiverManager');
  if (!Array.isArray(manager.transceivers) || typeof router?.ssrcTable !== 'object') {
    throw new Error('werift changed: TransceiverManager.transceivers or RtpRouter.ssrcTable moved');
  }

  manager.findReusableTransceiver = (kind) => {
    const transceivers = manager.transceivers;
    const local = pc.localDescription?.sdp;
    const remote = pc.remoteDescription?.sdp;
    const tags = [...bundleTags(local), ...bundleTags(remote)];
    // A tag is a transceiver's m-line, or the DataChannels' (a session that connected with SCTP first).
    const tagIndexes = tags.map(
      (mid) =>
        transceivers.find((t) => t.mid === mid)?.mLineIndex ??
        mLineIndexOfMid(local, mid) ??
        mLineIndexOfMid(remote, mid),
    );
    // No negotiated tag (or one werift no longer knows): recycle nothing rather than guess.
    if (tagIndexes.length === 0 || tagIndexes.some((i) => i === undefined)) return undefined;
    const after = Math.max(...(tagIndexes as number[]));
    return transceivers.find(
      (t) =>
        t.stopped &&
        t.kind === kind &&
        t.mLineIndex !== undefined &&
        t.mLineIndex > after &&
        !transceivers.some((other) => other !== t && other.mLineIndex === t.mLineIndex),
    );
  };

  // werift drops the old transceiver from its list but its router keeps routing to it by SSRC (and RID):
  // forget it there too, or every recycled m-line would keep a dead sender and its packet cache alive.
  const takeOverMLine = manager.takeOverMLine.bind(manager);
  manager.takeOverMLine = (previous, next) => {
    takeOverMLine(previous, next);
    for (const table of [router.ssrcTable, router.ridTable] as Record<string | number, unknown>[]) {
      for (const key of Object.keys(table)) {
        if (table[key] === previous.sender || table[key] === previous.receiver) delete table[key];
      }
    }
    onRecycled(previous);
  };
}
