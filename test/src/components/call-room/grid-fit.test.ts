import { expect } from '@open-wc/testing';
import { fitGrid } from '../../../../src/components/call-room/grid-fit.js';

describe('fitGrid', () => {
  it('gives one tile the whole stage at its aspect ratio', () => {
    const fit = fitGrid(1, 1600, 900, 8);
    expect([fit.columns, fit.rows]).to.deep.equal([1, 1]);
    expect(fit.tileWidth).to.equal(1600);
    expect(fit.tileHeight).to.equal(900);
  });

  it('puts two people side by side on a wide stage and one above the other on a phone', () => {
    expect(fitGrid(2, 1280, 640, 8).columns).to.equal(2);
    expect(fitGrid(2, 370, 700, 8).columns).to.equal(1);
  });

  for (const [count, columns] of [
    [3, 2],
    [4, 2],
    [5, 3],
    [6, 3],
    [7, 3],
    [9, 3],
    [10, 4],
  ] as const) {
    it(`lays ${count} tiles in ${columns} columns on a 16:10 desktop stage`, () => {
      const fit = fitGrid(count, 1264, 680, 8);
      expect(fit.columns).to.equal(columns);
      expect(fit.rows * fit.columns, 'cells').to.be.at.least(count);
      expect((fit.rows - 1) * fit.columns, 'no empty row').to.be.below(count);
    });
  }

  it('never overflows the stage, gaps included', () => {
    for (let count = 1; count <= 16; count++) {
      for (const [w, h] of [
        [1264, 680],
        [370, 640],
        [800, 300],
      ]) {
        const fit = fitGrid(count, w, h, 8);
        expect(fit.columns * fit.tileWidth + (fit.columns - 1) * 8, `${count} in ${w}x${h}`).to.be.at.most(
          w + 0.01,
        );
        expect(fit.rows * fit.tileHeight + (fit.rows - 1) * 8, `${count} in ${w}x${h}`).to.be.at.most(
          h + 0.01,
        );
        expect(fit.tileWidth / fit.tileHeight).to.be.closeTo(16 / 9, 1e-9);
      }
    }
  });

  it('answers an empty stage with no size rather than a negative one', () => {
    const fit = fitGrid(4, 0, 0, 8);
    expect(fit.tileWidth).to.equal(0);
  });
});
