// One participant's media vanishes for a while: every UDP datagram between its page and its SFU session is
// dropped on loopback, both ways, while its HTTP and presence sockets keep working, as on a lossy Wi-Fi or a
// NAT rebinding. Afterwards its media must flow both ways again. The drop is done with `tc` in the test's
// private network namespace (fault-network.ts), so it needs no switch in the SFU. Used by
// test/faults/media-blackhole.test.ts (10 s) and test/faults/long/media-blackhole-45s.test.ts (past the SFU's
// 30 s garbage collection of silent sessions).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRecovered, presentedFrames, sfuPortsOf, useFaultCall } from './fault-call.js';
import { assertPrivateNetwork, UdpBlackhole } from './fault-network.js';

export function describeMediaBlackhole(blackholeMs: number): void {
  describe(`fault: one participant's media is blackholed for ${blackholeMs / 1000} s`, () => {
    const fault = useFaultCall({ beforeStart: assertPrivateNetwork });

    it('recovers once the datagrams flow again', async (t) => {
      const [victim, watcher] = fault.call;
      const ports = await sfuPortsOf(victim);
      assert.equal(ports.length, 1, `${victim.name} talks to one SFU port: ${JSON.stringify(ports)}`);
      const blackhole = new UdpBlackhole(ports);
      blackhole.start();
      const started = Date.now();
      try {
        // The fault bites: the others stop getting the victim's frames, and the victim stops getting theirs.
        await new Promise((r) => setTimeout(r, 1_500));
        const [seen, seenBy] = await Promise.all([
          presentedFrames(victim, 5, 3_000),
          presentedFrames(watcher, 5, 3_000),
        ]);
        assert.ok(
          seen.every((s) => s.frames < 5),
          `${victim.name} gets no frames during the blackhole: ${JSON.stringify(seen)}`,
        );
        const victimTile = seenBy.find((s) => s.name === victim.name);
        assert.ok(
          victimTile && victimTile.frames < 5,
          `${watcher.name} gets no frames from ${victim.name}: ${JSON.stringify(seenBy)}`,
        );
        await new Promise((r) => setTimeout(r, blackholeMs - (Date.now() - started)));
      } finally {
        blackhole.end();
      }
      const recovery = await assertRecovered(fault.call, fault.stack.sfu);
      t.diagnostic(`pages back after ${recovery.pagesMs} ms, SFU counts after ${recovery.sfuMs} ms`);
    });
  });
}
