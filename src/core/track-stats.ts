import {
  EMPTY,
  Observable,
  combineLatest,
  defer,
  distinctUntilChanged,
  filter,
  map,
  shareReplay,
  switchMap,
  take,
} from 'rxjs';
import type { CallParticipant, TrackStats, VideoSource } from './types.js';

type Report = Record<string, unknown> & { id: string; type: string };
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

interface Counters {
  readonly at: number;
  readonly bytes: number;
  readonly packets: number;
  readonly lost: number;
  /** When the byte count last grew. */
  readonly progressAt: number;
}

function byId(stats: RTCStatsReport): Map<string, Report> {
  const map = new Map<string, Report>();
  stats.forEach((report: Report) => map.set(report.id, report));
  return map;
}

/** Round trip of the connection's selected candidate pair, in ms. */
function connectionRttMs(reports: Map<string, Report>): number | undefined {
  for (const r of reports.values()) {
    if (r.type !== 'transport') continue;
    const pair = reports.get(String(r.selectedCandidatePairId));
    const rtt = num(pair?.currentRoundTripTime);
    if (rtt !== undefined) return rtt * 1000;
  }
  return undefined;
}

/** Finds the RTP stream that carries `track`: inbound for pulled tracks, outbound for pushed ones. */
function rtpReportFor(reports: Map<string, Report>, track: MediaStreamTrack): Report | undefined {
  for (const r of reports.values()) {
    if (r.type === 'inbound-rtp' && r.trackIdentifier === track.id) return r;
    if (r.type === 'outbound-rtp' && reports.get(String(r.mediaSourceId))?.trackIdentifier === track.id) {
      // With simulcast there is one outbound stream per layer; the first active one stands for the track.
      if (r.active !== false) return r;
    }
  }
  return undefined;
}

/** Turns two samples of one RTP stream into the health figures the elements show. */
export function deriveStats(
  reports: Map<string, Report>,
  rtp: Report,
  previous?: Counters,
): [TrackStats, Counters] {
  const inbound = rtp.type === 'inbound-rtp';
  const remote = inbound
    ? undefined
    : [...reports.values()].find((r) => r.type === 'remote-inbound-rtp' && r.localId === rtp.id);
  const now = num(rtp.timestamp) ?? performance.now();
  const counters: Counters = {
    at: now,
    bytes: num(inbound ? rtp.bytesReceived : rtp.bytesSent) ?? 0,
    packets: num(inbound ? rtp.packetsReceived : rtp.packetsSent) ?? 0,
    lost: num(inbound ? rtp.packetsLost : remote?.packetsLost) ?? 0,
    progressAt: now,
  };
  const bytes = counters.bytes;
  const progressAt = previous && bytes <= previous.bytes ? previous.progressAt : now;
  let packetLossPercent: number | undefined;
  let bitrateKbps: number | undefined;
  if (previous && counters.at > previous.at) {
    const lost = Math.max(0, counters.lost - previous.lost);
    const expected = Math.max(0, counters.packets - previous.packets) + (inbound ? lost : 0);
    packetLossPercent = expected > 0 ? (lost / expected) * 100 : 0;
    bitrateKbps = ((counters.bytes - previous.bytes) * 8) / (counters.at - previous.at);
  } else if (!inbound && num(remote?.fractionLost) !== undefined) {
    packetLossPercent = num(remote?.fractionLost)! * 100;
  }
  const jitter = num(inbound ? rtp.jitter : remote?.jitter);
  const rtt = num(remote?.roundTripTime);
  const codec = reports.get(String(rtp.codecId))?.mimeType;
  return [
    {
      packetLossPercent,
      jitterMs: jitter === undefined ? undefined : jitter * 1000,
      roundTripTimeMs: rtt === undefined ? connectionRttMs(reports) : rtt * 1000,
      bitrateKbps,
      framesPerSecond: num(rtp.framesPerSecond),
      width: num(rtp.frameWidth),
      height: num(rtp.frameHeight),
      codec: typeof codec === 'string' ? codec : undefined,
      stalledMs: inbound ? now - progressAt : undefined,
    },
    { ...counters, progressAt },
  ];
}

/**
 * `getStats()` every `intervalMs` while subscribed (and at once when `immediate`), by report id. A call still
 * running skips the next tick rather than piling up; a closed connection just reports nothing.
 */
function pollStats$(
  peerConnection: RTCPeerConnection,
  intervalMs: number,
  immediate = false,
): Observable<Map<string, Report>> {
  return new Observable<Map<string, Report>>((subscriber) => {
    let running = false;
    const sample = async () => {
      if (running) return;
      running = true;
      let reports: Map<string, Report>;
      try {
        reports = byId(await peerConnection.getStats());
      } catch {
        return; // closed: the session swaps in the new connection
      } finally {
        running = false;
      }
      subscriber.next(reports);
    };
    if (immediate) void sample();
    const timer = setInterval(sample, intervalMs);
    return () => clearInterval(timer);
  });
}

const sharedPolls = new WeakMap<RTCPeerConnection, Map<number, Observable<Map<string, Report>>>>();

/**
 * One `getStats()` poll per connection and interval, shared by every subscriber: each call returns every
 * stream's reports anyway, so N tiles cost one call a tick instead of N (N² reports). A late subscriber gets
 * the last sample at once.
 */
function sharedStats$(
  peerConnection: RTCPeerConnection,
  intervalMs: number,
): Observable<Map<string, Report>> {
  let byInterval = sharedPolls.get(peerConnection);
  if (!byInterval) sharedPolls.set(peerConnection, (byInterval = new Map()));
  let poll = byInterval.get(intervalMs);
  if (!poll) {
    poll = pollStats$(peerConnection, intervalMs, true).pipe(shareReplay({ bufferSize: 1, refCount: true }));
    byInterval.set(intervalMs, poll);
  }
  return poll;
}

/** Samples `getStats()` for one track every `intervalMs` while subscribed. Emits nothing until found. */
export function trackStats$(
  peerConnection: RTCPeerConnection,
  track: MediaStreamTrack,
  intervalMs = 1000,
): Observable<TrackStats> {
  return defer(() => {
    let previous: Counters | undefined;
    return sharedStats$(peerConnection, intervalMs).pipe(
      map((reports) => {
        const rtp = rtpReportFor(reports, track);
        if (!rtp) return undefined;
        const [stats, counters] = deriveStats(reports, rtp, previous);
        previous = counters;
        return stats;
      }),
      filter((stats) => stats !== undefined),
    );
  });
}

/** Emits once `track` (pulled) has a decoded frame on `peerConnection`, polling `getStats()`, then completes. */
export function firstFrameDecoded$(
  peerConnection: RTCPeerConnection,
  track: MediaStreamTrack,
  intervalMs = 25,
): Observable<void> {
  return pollStats$(peerConnection, intervalMs).pipe(
    filter((reports) => (num(rtpReportFor(reports, track)?.framesDecoded) ?? 0) > 0),
    take(1),
    map(() => undefined),
  );
}

/**
 * Audio levels (0..1) of every audio track on a connection, keyed by track id: inbound streams for pulled
 * tracks, media sources for pushed ones. Cheaper than a WebAudio analyser per participant.
 */
export function audioLevels$(
  peerConnection: RTCPeerConnection,
  intervalMs = 200,
): Observable<Map<string, number>> {
  return pollStats$(peerConnection, intervalMs).pipe(
    map((reports) => {
      const levels = new Map<string, number>();
      for (const r of reports.values()) {
        const level = num(r.audioLevel);
        if (level === undefined || typeof r.trackIdentifier !== 'string') continue;
        if (r.type === 'inbound-rtp' || r.type === 'media-source') levels.set(r.trackIdentifier, level);
      }
      return levels;
    }),
  );
}

/** Stats of one participant's track, following the track as it changes, while the connection is up. */
export function participantTrackStats$(
  participants$: Observable<readonly CallParticipant[]>,
  connected$: Observable<RTCPeerConnection | undefined>,
  which: { readonly participantId: string; readonly kind: 'audio' | 'video'; readonly source: VideoSource },
): Observable<TrackStats> {
  const track$ = participants$.pipe(
    map((list) => {
      const p = list.find((x) => x.id === which.participantId);
      return which.kind === 'audio' ? p?.audio : p?.video[which.source];
    }),
    distinctUntilChanged(),
  );
  return combineLatest([connected$, track$]).pipe(
    switchMap(([pc, track]) => (pc && track ? trackStats$(pc, track) : EMPTY)),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
}
