import { expect } from '@open-wc/testing';
import { defaultQualityThresholds, qualityLevel } from '../../../src/core/quality.js';

describe('qualityLevel', () => {
  it('is unknown until something is measured', () => {
    expect(qualityLevel(undefined)).to.equal('unknown');
    expect(qualityLevel({ bitrateKbps: 300 })).to.equal('unknown');
  });

  it('follows the default loss and jitter ladders; the worst metric decides', () => {
    expect(qualityLevel({ packetLossPercent: 0.5, jitterMs: 10 })).to.equal('good');
    expect(qualityLevel({ packetLossPercent: 2, jitterMs: 10 })).to.equal('fair');
    expect(qualityLevel({ packetLossPercent: 6, jitterMs: 10 })).to.equal('poor');
    expect(qualityLevel({ packetLossPercent: 0, jitterMs: 45 })).to.equal('fair');
    expect(qualityLevel({ packetLossPercent: 2, jitterMs: 150 })).to.equal('poor');
  });

  it('takes custom thresholds', () => {
    const strict = { ...defaultQualityThresholds, loss: { fair: 0.1, poor: 0.5 } };
    expect(qualityLevel({ packetLossPercent: 0.3 }, strict)).to.equal('fair');
  });
});
