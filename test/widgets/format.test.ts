import { expect } from '@open-wc/testing';
import { formatPoints, formatSar, parseAmount, pluralOf, pointsFor } from '../../widgets/shared/format.ts';

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

describe('parseAmount', () => {
  it('reads shop prices with currency words, grouping and decimals', () => {
    expect(parseAmount('SAR 1,234.50')).to.equal(1234.5);
    expect(parseAmount('199.00 ر.س')).to.equal(199);
    expect(parseAmount('ر.س 75')).to.equal(75);
    expect(parseAmount('  ﷼ 12 ')).to.equal(12);
  });

  it('reads Arabic-Indic and Persian digits with Arabic separators', () => {
    expect(parseAmount('١٬٢٣٤٫٥٠ ر.س')).to.equal(1234.5);
    expect(parseAmount('۱۲۳')).to.equal(123);
  });

  it('takes the first amount only, and NaN when there is none', () => {
    expect(parseAmount('SAR 12.50 (was SAR 15.00)')).to.equal(12.5);
    expect(parseAmount('Sold out')).to.satisfy(Number.isNaN);
    expect(parseAmount('')).to.satisfy(Number.isNaN);
  });
});

describe('pluralOf', () => {
  it('gives Arabic all six forms', () => {
    expect([0, 1, 2, 3, 11, 100].map((n) => pluralOf(n, 'ar'))).to.deep.equal([
      'zero',
      'one',
      'two',
      'few',
      'many',
      'other',
    ]);
  });
});
