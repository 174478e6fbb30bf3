// How much one subscriber's downlink carries, from its transport-wide congestion-control feedback on what
// the SFU sends it (the browser reports which packets arrived and when). Loss- and delay-based, after the
// shape of Google Congestion Control, kept simple: no estimate (no limit) until the link shows congestion;
// then the rate that got through, less a margin; then up by 8 % a second while the link stays clean, so a
// higher simulcast layer is tried again after a while. Pure: the clock is passed in.

/** One packet of a feedback report: its transport-wide sequence number, and when it arrived if it did. */
export interface FeedbackResult {
  readonly sequenceNumber: number;
  /** Arrival time in the receiver's clock, in ms; undefined for a packet reported lost. */
  readonly receivedAtMs?: number;
}

/** Feedback is judged in windows of at least this much sending time. */
const WINDOW_MS = 500;
/** …holding at least this many packets. */
const WINDOW_PACKETS = 10;
/** Above this loss the link is congested; below `LOSS_CLEAN` it is clean. */
const LOSS_CONGESTED = 0.1;
const LOSS_CLEAN = 0.02;
/** Queueing delay (over the lowest seen lately) above this means a queue is building. */
const QUEUE_CONGESTED_MS = 100;
const QUEUE_CLEAN_MS = 40;
/** After congestion, the estimate is this share of what got through. */
const BACKOFF = 0.85;
/** Growth per second on a clean link. */
const GROWTH_PER_SECOND = 1.08;
/** Beyond this the link counts as unlimited again. */
const CEILING_BPS = 50_000_000;
const FLOOR_BPS = 50_000;
/** The lowest one-way delay is forgotten over this long (routes change). */
const BASE_DELAY_MEMORY_MS = 10_000;
/** Sent packets are remembered at most this long, waiting for their feedback. */
const SENT_MEMORY_MS = 5_000;

interface Sent {
  readonly bytes: number;
  readonly at: number;
}

interface Window {
  start: number;
  received: number;
  lost: number;
  bytes: number;
  firstArrival: number;
  lastArrival: number;
  queueSum: number;
}

const emptyWindow = (start: number): Window => ({
  start,
  received: 0,
  lost: 0,
  bytes: 0,
  firstArrival: Infinity,
  lastArrival: -Infinity,
  queueSum: 0,
});

export class BandwidthEstimator {
  /** Bits per second the link carries, or undefined while no congestion has been seen (no limit). */
  estimateBps: number | undefined;
  private readonly sent = new Map<number, Sent>();
  private window: Window | undefined;
  private baseDelay = Infinity;
  private baseDelayAt = 0;
  private lastUpdate = 0;

  /** A packet left for this subscriber with this (16-bit) transport-wide sequence number. */
  onSent(sequenceNumber: number, bytes: number, nowMs: number): void {
    this.sent.set(sequenceNumber & 0xffff, { bytes, at: nowMs });
    if (this.sent.size > 4096) {
      for (const [seq, s] of this.sent) {
        if (nowMs - s.at <= SENT_MEMORY_MS) break;
        this.sent.delete(seq);
      }
    }
  }

  /** One feedback report; the estimate moves once a window's worth of packets is in. */
  onFeedback(results: readonly FeedbackResult[], nowMs: number): void {
    for (const result of results) {
      const seq = result.sequenceNumber & 0xffff;
      const sent = this.sent.get(seq);
      if (!sent) continue;
      this.sent.delete(seq);
      const w = (this.window ??= emptyWindow(sent.at));
      if (result.receivedAtMs === undefined) {
        w.lost++;
        continue;
      }
      const delay = result.receivedAtMs - sent.at; // the clocks differ by a constant: only changes count
      if (delay < this.baseDelay || nowMs - this.baseDelayAt > BASE_DELAY_MEMORY_MS) {
        this.baseDelay = delay;
        this.baseDelayAt = nowMs;
      }
      w.received++;
      w.bytes += sent.bytes;
      w.firstArrival = Math.min(w.firstArrival, result.receivedAtMs);
      w.lastArrival = Math.max(w.lastArrival, result.receivedAtMs);
      w.queueSum += delay - this.baseDelay;
      if (sent.at - w.start >= WINDOW_MS && w.received + w.lost >= WINDOW_PACKETS) {
        this.judge(w, nowMs);
        this.window = emptyWindow(sent.at);
      }
    }
  }

  private judge(w: Window, nowMs: number): void {
    const loss = w.lost / (w.received + w.lost);
    const queueMs = w.received ? w.queueSum / w.received : 0;
    const span = w.lastArrival - w.firstArrival;
    const ackedBps = span > 0 ? (w.bytes * 8 * 1000) / span : undefined;
    const elapsed = this.lastUpdate ? nowMs - this.lastUpdate : 0;
    this.lastUpdate = nowMs;
    if (loss > LOSS_CONGESTED || queueMs > QUEUE_CONGESTED_MS) {
      const through = ackedBps ?? this.estimateBps;
      if (through !== undefined) {
        const next = Math.max(FLOOR_BPS, through * BACKOFF);
        this.estimateBps = this.estimateBps === undefined ? next : Math.min(this.estimateBps, next);
      }
    } else if (loss < LOSS_CLEAN && queueMs < QUEUE_CLEAN_MS && this.estimateBps !== undefined) {
      const grown = this.estimateBps * GROWTH_PER_SECOND ** (elapsed / 1000);
      this.estimateBps = grown > CEILING_BPS ? undefined : grown;
    }
  }
}
