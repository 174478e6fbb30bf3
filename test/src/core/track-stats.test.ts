import { expect } from '@open-wc/testing';
import { firstValueFrom, timeout } from 'rxjs';
import { firstFrameDecoded$ } from '../../../src/core/track-stats.js';

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
