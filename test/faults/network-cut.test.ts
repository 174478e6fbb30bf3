// Fault: the network is cut for everyone for 20 s (finding 10): loopback goes down in the test's private
// network namespace, so every page loses its media, its presence socket and its requests at once, and the
// servers lose their clients. Afterwards every page must show the others playing again, not a frozen
// "joined" room.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRecovered, presentedFrames, useFaultCall } from '../support/fault-call.js';
import { assertPrivateNetwork, setLoopback } from '../support/fault-network.js';

const CUT_MS = 20_000;

describe('fault: the network is cut for 20 s', () => {
  const fault = useFaultCall({ beforeStart: assertPrivateNetwork });

  it('every page recovers once the network is back', async (t) => {
    setLoopback('down');
    const cutAt = Date.now();
    try {
      await new Promise((r) => setTimeout(r, 1_500));
      const during = await presentedFrames(fault.call[0], 5, 3_000);
      assert.ok(
        during.every((s) => s.frames < 5),
        `no frames arrive while the network is down: ${JSON.stringify(during)}`,
      );
      await new Promise((r) => setTimeout(r, CUT_MS - (Date.now() - cutAt)));
    } finally {
      setLoopback('up');
    }
    const recovery = await assertRecovered(fault.call, fault.stack.sfu);
    t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
  });
});
