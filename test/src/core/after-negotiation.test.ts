import { expect } from '@open-wc/testing';
import { afterNegotiation } from '../../../src/core/after-negotiation.js';

describe('afterNegotiation', () => {
  const stable = { signalingState: 'stable' as RTCSignalingState };

  it('resolves at once (after one task) when nothing is being negotiated', async () => {
    const started = performance.now();
    await afterNegotiation(stable, () => false, new AbortController().signal);
    expect(performance.now() - started).to.be.below(100);
  });

  it('waits while partytracks is busy or the PeerConnection is mid-negotiation, then for a quiet spell', async () => {
    const pc = { signalingState: 'stable' as RTCSignalingState };
    let busy = true;
    const started = performance.now();
    setTimeout(() => ((busy = false), (pc.signalingState = 'have-remote-offer')), 100);
    setTimeout(() => (pc.signalingState = 'stable'), 200);
    await afterNegotiation(pc, () => busy, new AbortController().signal, { quietMs: 100 });
    expect(performance.now() - started).to.be.at.least(300);
  });

  it('gives up after its longest wait, and at once on abort', async () => {
    let started = performance.now();
    await afterNegotiation(stable, () => true, new AbortController().signal, { maxMs: 150 });
    expect(performance.now() - started).to.be.within(150, 1_000);
    const abort = new AbortController();
    started = performance.now();
    setTimeout(() => abort.abort(), 50);
    await afterNegotiation(stable, () => true, abort.signal, { maxMs: 5_000 });
    expect(performance.now() - started).to.be.below(1_000);
  });
});
