import { expect } from '@open-wc/testing';
import { firstValueFrom, timeout } from 'rxjs';
import { firstFrameDecoded$, trackStats$ } from '../../../src/core/track-stats.js';

/** A peer connection whose getStats() serves the reports the test puts in `reports`. */
function fakePeerConnection() {
  const fake = {
    reports: [] as Record<string, unknown>[],
    calls: 0,
    async getStats() {
      fake.calls++;
      return new Map(fake.reports.map((r) => [r.id, r]));
    },
  };
  return fake;
}

const track = (id: string) => ({ id, kind: 'video' }) as MediaStreamTrack;
const inbound = (trackIdentifier: string, framesDecoded: number) => ({
  id: `in-${trackIdentifier}`,
  type: 'inbound-rtp',
  trackIdentifier,
  framesDecoded,
});

describe('firstFrameDecoded$', () => {
  it("emits once the track's inbound stream has decoded a frame, then stops polling", async () => {
    const pc = fakePeerConnection();
    pc.reports = [inbound('other', 30), inbound('wanted', 0)];
    let emitted = 0;
    const done = new Promise<void>((resolve) =>
      firstFrameDecoded$(pc as unknown as RTCPeerConnection, track('wanted'), 5).subscribe({
        next: () => emitted++,
        complete: resolve,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(emitted, "another track's frames do not count").to.equal(0);
    pc.reports = [inbound('other', 30), inbound('wanted', 1)];
    await done;
    expect(emitted).to.equal(1);
    const calls = pc.calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(pc.calls, 'no polling after completion').to.equal(calls);
  });

  it('survives a closed connection: getStats failing just means no frame yet', async () => {
    const pc = { getStats: () => Promise.reject(new Error('closed')) } as unknown as RTCPeerConnection;
    const result = firstValueFrom(firstFrameDecoded$(pc, track('t'), 5).pipe(timeout(60)));
    let error: unknown;
    await result.catch((e: unknown) => (error = e));
    expect((error as Error).name).to.equal('TimeoutError');
  });
});

describe('trackStats$', () => {
  it('shares one getStats() poll per connection among the tracks it serves', async () => {
    const pc = fakePeerConnection();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    pc.reports = ids.map((id) => ({ ...inbound(id, 10), bytesReceived: 1000, packetsReceived: 10 }));
    const seen = new Map<string, number>();
    const subscriptions = ids.map((id) =>
      trackStats$(pc as unknown as RTCPeerConnection, track(id), 20).subscribe(() =>
        seen.set(id, (seen.get(id) ?? 0) + 1),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 110));
    subscriptions.forEach((s) => s.unsubscribe());
    expect([...seen.keys()].sort(), 'every track got its stats').to.deep.equal(ids);
    // About 110 / 20 ≈ 6 ticks (plus the first sample) for all six tracks together; unshared it would be ~36.
    expect(pc.calls).to.be.within(2, 9);
    const calls = pc.calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pc.calls, 'no polling once nobody listens').to.equal(calls);
  });
});
