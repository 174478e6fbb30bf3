// Records when the local SFU (running in this process) sends transport-cc feedback, by wrapping its
// TwccResponder: the benchmark compares the feedback cadence with what Chrome's pacer does on the SFU path.
// Measurement only; the responder's behaviour is unchanged.
import { TwccResponder } from '../../server/sfu/twcc.js';

export interface FeedbackEntry {
  /** Which responder (one per SFU session) sent it. */
  responder: object;
  /** performance.now() */
  at: number;
  /** Packets the feedback reports on. */
  count: number;
  /** Of those, reported as not received. */
  lost: number;
}

export const twccFeedbackLog: FeedbackEntry[] = [];

type Build = (base: number, count: number) => Buffer | undefined;
interface Internals {
  build: Build;
  arrivals: Map<number, number>;
}
const proto = TwccResponder.prototype as unknown as Internals;
const build = proto.build;
if (typeof build !== 'function') throw new Error('TwccResponder has no build method to observe');
proto.build = function (this: Internals, base: number, count: number) {
  let lost = 0;
  for (let seq = base; seq < base + count; seq++) if (!this.arrivals.has(seq)) lost++;
  const packet = build.call(this, base, count);
  if (packet) {
    twccFeedbackLog.push({ responder: this, at: performance.now(), count, lost });
    if (twccFeedbackLog.length > 200_000) twccFeedbackLog.splice(0, 100_000);
  }
  return packet;
};
