// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01) for one
// session. Chrome's send-side bandwidth estimator needs it to ramp up; without a good estimate it never
// sends the upper simulcast layers. werift's own generator works per receiver rather than per transport
// and reports gaps wrongly, so it is switched off (werift-patches.ts) and this one answers instead.

const TICK_US = 250;
const TICKS_PER_REFERENCE = 256; // the reference time counts 64 ms units
const FEEDBACK_INTERVAL_US = 50_000;
const MAX_STATUS_PER_FEEDBACK = 2_000;
const NOT_RECEIVED = 0;
const SMALL_DELTA = 1;
const LARGE_DELTA = 2;

export class TwccResponder {
  private readonly arrivals = new Map<number, number>();
  private highestSeq: number | undefined;
  private nextToReport: number | undefined;
  private lastFeedbackAt = 0;
  private feedbackCount = 0;
  private mediaSsrc = 0;

  constructor(
    private readonly senderSsrc: number,
    private readonly send: (packet: Buffer) => void,
    private readonly clockUs: () => number = () => performance.now() * 1000,
  ) {}

  /** Records one RTP packet's transport-wide sequence number; sends feedback at most every 50 ms. */
  onPacket(sequenceNumber: number, ssrc: number): void {
    const now = this.clockUs();
    const seq = this.unwrap(sequenceNumber);
    if (this.nextToReport !== undefined && seq < this.nextToReport) return;
    this.arrivals.set(seq, now);
    this.mediaSsrc = ssrc;
    this.nextToReport ??= seq;
    if (now - this.lastFeedbackAt >= FEEDBACK_INTERVAL_US) this.flush(now);
  }

  private unwrap(seq16: number): number {
    if (this.highestSeq === undefined) {
      this.highestSeq = seq16;
      return seq16;
    }
    let delta = seq16 - (this.highestSeq & 0xffff);
    if (delta > 0x8000) delta -= 0x10000;
    else if (delta < -0x8000) delta += 0x10000;
    const seq = this.highestSeq + delta;
    if (seq > this.highestSeq) this.highestSeq = seq;
    return seq;
  }

  private flush(now: number): void {
    if (this.nextToReport === undefined || this.highestSeq === undefined) return;
    const base = this.nextToReport;
    const count = Math.min(this.highestSeq - base + 1, MAX_STATUS_PER_FEEDBACK);
    if (count <= 0) return;
    const packet = this.build(base, count);
    for (let seq = base; seq < base + count; seq++) this.arrivals.delete(seq);
    this.nextToReport = base + count;
    this.lastFeedbackAt = now;
    if (packet) this.send(packet);
  }

  /** Serialises one feedback packet for `count` sequence numbers starting at `base`; undefined if none arrived. */
  private build(base: number, count: number): Buffer | undefined {
    const symbols: number[] = [];
    const deltas: number[] = [];
    let referenceTicks: number | undefined;
    let previousTicks = 0;
    let reference64 = 0;
    for (let seq = base; seq < base + count; seq++) {
      const arrival = this.arrivals.get(seq);
      if (arrival === undefined) {
        symbols.push(NOT_RECEIVED);
        continue;
      }
      const ticks = Math.round(arrival / TICK_US);
      if (referenceTicks === undefined) {
        reference64 = Math.floor(ticks / TICKS_PER_REFERENCE);
        referenceTicks = reference64 * TICKS_PER_REFERENCE;
        previousTicks = referenceTicks;
      }
      const delta = Math.max(-32768, Math.min(32767, ticks - previousTicks));
      previousTicks += delta;
      symbols.push(delta >= 0 && delta <= 255 ? SMALL_DELTA : LARGE_DELTA);
      deltas.push(delta);
    }
    if (referenceTicks === undefined) return undefined;

    const chunks = encodeChunks(symbols);
    const deltaBytes = symbols.reduce((n, s) => n + (s === SMALL_DELTA ? 1 : s === LARGE_DELTA ? 2 : 0), 0);
    const length = 20 + chunks.length * 2 + deltaBytes;
    const padding = (4 - (length % 4)) % 4;
    const out = Buffer.alloc(length + padding);
    // RTCP header: V=2, P when padded, FMT=15 (transport-wide CC), PT=205 (RTPFB), length in words minus one.
    out[0] = 0x80 | (padding ? 0x20 : 0) | 15;
    if (padding) out[out.length - 1] = padding;
    out[1] = 205;
    out.writeUInt16BE(out.length / 4 - 1, 2);
    out.writeUInt32BE(this.senderSsrc >>> 0, 4);
    out.writeUInt32BE(this.mediaSsrc >>> 0, 8);
    out.writeUInt16BE(base & 0xffff, 12);
    out.writeUInt16BE(count, 14);
    out.writeUIntBE(reference64 & 0xffffff, 16, 3);
    out[19] = this.feedbackCount++ & 0xff;
    let offset = 20;
    for (const chunk of chunks) {
      out.writeUInt16BE(chunk, offset);
      offset += 2;
    }
    let d = 0;
    for (const symbol of symbols) {
      if (symbol === NOT_RECEIVED) continue;
      const delta = deltas[d++];
      if (symbol === SMALL_DELTA) out[offset++] = delta;
      else {
        out.writeInt16BE(delta, offset);
        offset += 2;
      }
    }
    return out;
  }
}

/** Packet status chunks: run-length for runs of 7 or more equal symbols, else two-bit status vectors. */
export function encodeChunks(symbols: readonly number[]): number[] {
  const chunks: number[] = [];
  let i = 0;
  while (i < symbols.length) {
    let run = 1;
    while (i + run < symbols.length && symbols[i + run] === symbols[i] && run < 0x1fff) run++;
    if (run >= 7) {
      chunks.push((symbols[i] << 13) | run);
      i += run;
      continue;
    }
    let vector = 0xc000; // T=1, S=1: seven two-bit symbols
    for (let k = 0; k < 7; k++) vector |= (symbols[i + k] ?? NOT_RECEIVED) << (12 - 2 * k);
    chunks.push(vector);
    i += 7;
  }
  return chunks;
}
