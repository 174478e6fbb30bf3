import { expect } from '@open-wc/testing';
import { Subject } from 'rxjs';
import type { CallError } from '../../../src/core/call-error.js';
import { watchJoinDeadline } from '../../../src/core/join-deadline.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchJoinDeadline', () => {
  function deadline(state: { joining: boolean; needsMedia: boolean }) {
    const connected$ = new Subject<RTCPeerConnection | undefined>();
    const failures: CallError[] = [];
    const subscription = watchJoinDeadline({
      timeoutMs: 50,
      connected$,
      joining: () => state.joining,
      needsMedia: () => state.needsMedia,
      fail: (error) => failures.push(error),
    });
    return { connected$, failures, subscription };
  }

  it('fails a join still joining at the deadline, naming the call server', async () => {
    const { failures } = deadline({ joining: true, needsMedia: false });
    await wait(80);
    expect(failures.map((f) => [f.code, f.message])).to.deep.equal([
      ['connection-failed', 'The call server did not answer within 0.05 s.'],
    ]);
  });

  it('fails a joined call whose media never connected when there is media to carry', async () => {
    const { failures } = deadline({ joining: false, needsMedia: true });
    await wait(80);
    expect(failures[0]?.message).to.contain('media connection');
  });

  it('lets a joined call be when its media connected, or when there is nothing to carry', async () => {
    const connected = deadline({ joining: false, needsMedia: true });
    connected.connected$.next({} as RTCPeerConnection);
    const alone = deadline({ joining: false, needsMedia: false });
    await wait(80);
    expect(connected.failures).to.deep.equal([]);
    expect(alone.failures).to.deep.equal([]);
  });

  it('does nothing once unsubscribed', async () => {
    const { failures, subscription } = deadline({ joining: true, needsMedia: true });
    subscription.unsubscribe();
    await wait(80);
    expect(failures).to.deep.equal([]);
  });
});
