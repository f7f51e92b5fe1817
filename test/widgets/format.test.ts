import { expect } from '@open-wc/testing';
import { formatPoints, formatSar, pointsFor } from '../../widgets/shared/format.ts';

describe('formatPoints', () => {
  it('groups Latin digits in English', () => {
    expect(formatPoints(1990, 'en', 'latn')).to.equal('1,990');
  });

  it('writes Arabic-Indic digits when asked', () => {
    expect(formatPoints(1990, 'ar', 'arab')).to.equal('١٬٩٩٠');
  });
});

describe('formatSar', () => {
  it('always shows two decimals', () => {
    expect(formatSar(199, 'en', 'latn')).to.match(/199\.00/);
    expect(formatSar(199, 'en', 'latn')).to.contain('SAR');
  });
});

describe('pointsFor', () => {
  it('multiplies by the earn rate on halalas, without float drift', () => {
    expect(pointsFor(19.99, 10)).to.equal(200);
    expect(pointsFor(150.5, 20)).to.equal(3010);
  });

  it('is zero for nothing, negatives and nonsense', () => {
    expect(pointsFor(0, 10)).to.equal(0);
    expect(pointsFor(-5, 10)).to.equal(0);
    expect(pointsFor(Number.NaN, 10)).to.equal(0);
    expect(pointsFor(10, 0)).to.equal(0);
  });
});
