import { expect } from '@open-wc/testing';
import { DEFAULT_SIMULCAST_LAYERS, SINGLE_LAYER, cameraEncodings } from '../../../src/core/simulcast.js';

const sent = (encodings: RTCRtpEncodingParameters[]) =>
  encodings.filter((e) => e.active).reduce((sum, e) => sum + (e.maxBitrate ?? Infinity), 0);

describe('cameraEncodings', () => {
  it('sends every layer at its own bitrate without caps, highest first', () => {
    const encodings = cameraEncodings(DEFAULT_SIMULCAST_LAYERS);
    expect(encodings.map((e) => [e.rid, e.active, e.maxBitrate, e.scaleResolutionDownBy])).to.deep.equal([
      ['f', true, 1_200_000, 1],
      ['h', true, 500_000, 2],
      ['q', true, 150_000, 4],
    ]);
  });

  it('shares a cap from the lowest layer up and turns off what it leaves (almost) nothing', () => {
    const encodings = cameraEncodings(DEFAULT_SIMULCAST_LAYERS, { maxBitrateKbps: 300 });
    expect(encodings.map((e) => [e.rid, e.active])).to.deep.equal([
      ['f', false],
      ['h', true],
      ['q', true],
    ]);
    expect(sent(encodings)).to.equal(300_000);
    expect(sent(cameraEncodings(DEFAULT_SIMULCAST_LAYERS, { maxBitrateKbps: 1000 }))).to.equal(1_000_000);
  });

  it('always sends the lowest layer, even under a tiny cap', () => {
    const encodings = cameraEncodings(DEFAULT_SIMULCAST_LAYERS, { maxBitrateKbps: 50 });
    expect(encodings.map((e) => e.active)).to.deep.equal([false, false, true]);
    expect(encodings[2].maxBitrate).to.equal(50_000);
  });

  it('turns the highest layer off for data saver, keeping the same RIDs (setParameters needs them)', () => {
    const encodings = cameraEncodings(DEFAULT_SIMULCAST_LAYERS, { dataSaver: true });
    expect(encodings.map((e) => [e.rid, e.active])).to.deep.equal([
      ['f', false],
      ['h', true],
      ['q', true],
    ]);
  });

  it('sends one layer without RID when simulcast is off, capped only when asked', () => {
    expect(cameraEncodings(SINGLE_LAYER)).to.deep.equal([{ active: true }]);
    expect(cameraEncodings(SINGLE_LAYER, { maxBitrateKbps: 300, dataSaver: true })).to.deep.equal([
      { active: true, maxBitrate: 300_000 },
    ]);
  });
});
