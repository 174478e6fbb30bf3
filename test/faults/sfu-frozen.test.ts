// Fault: the SFU process stops for 10 s (SIGSTOP, then SIGCONT), as a stalled host or a long GC pause would:
// its sockets stay open and nothing answers, neither HTTP nor UDP. Afterwards the call must carry on, with
// the sessions it had or new ones, and no leftovers on the SFU.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRecovered, presentedFrames, useFaultCall } from '../support/fault-call.js';

const FROZEN_MS = 10_000;

describe('fault: the SFU is frozen for 10 s mid-call', () => {
  const fault = useFaultCall();

  it('recovers after SIGSTOP for 10 s and SIGCONT', async (t) => {
    fault.stack.sfu.freeze();
    const frozenAt = Date.now();
    try {
      // The fault bites: with the SFU stopped, no remote frame arrives.
      await new Promise((r) => setTimeout(r, 1_000));
      const during = await presentedFrames(fault.call[0], 5, 3_000);
      assert.ok(
        during.every((s) => s.frames < 5),
        `frames stall while the SFU is frozen: ${JSON.stringify(during)}`,
      );
      await new Promise((r) => setTimeout(r, FROZEN_MS - (Date.now() - frozenAt)));
    } finally {
      fault.stack.sfu.thaw();
    }
    const recovery = await assertRecovered(fault.call, fault.stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });
});
