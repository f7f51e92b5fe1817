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
  it('reads the formats stores really print: decimal comma, thousands dots and spaces', () => {
    expect(parseAmount('199,00')).to.equal(199);
    expect(parseAmount('1.234,50 SAR')).to.equal(1234.5);
    expect(parseAmount('1 234,50 ر.س')).to.equal(1234.5);
    expect(parseAmount('1\u202f234,50')).to.equal(1234.5);
    expect(parseAmount('1,234')).to.equal(1234);
    expect(parseAmount('1.234.567')).to.equal(1234567);
    expect(parseAmount('199.5')).to.equal(199.5);
    expect(parseAmount('SR 2,500.00')).to.equal(2500);
    expect(parseAmount('٢٥٠٫٥ ﷼')).to.equal(250.5);
    expect(parseAmount('١٬٢٣٤')).to.equal(1234);
  });

  it('reads nothing it cannot read for sure: negatives, exponents, odd groups, mixed marks', () => {
    for (const text of ['-199', '− 199 SAR', '1e6', '12,34,567', '1,234,50', '1.234.5678', '1234,567']) {
      expect(parseAmount(text), text).to.satisfy(Number.isNaN);
    }
  });

  it('reads nothing out of junk: letters against the digits, or two numbers', () => {
    for (const text of ['x1y2', '1a2', 'a1', '12b', 'SAR199', '١٢٣ب', '10 20', '10  20', '10\t20', '1.5 2']) {
      expect(parseAmount(text), text).to.satisfy(Number.isNaN);
    }
  });

  it('reads shop prices with currency words, grouping and decimals', () => {
    expect(parseAmount('SAR 1,234.50')).to.equal(1234.5);
    expect(parseAmount('199.00 ر.س')).to.equal(199);
    expect(parseAmount('ر.س 75')).to.equal(75);
    expect(parseAmount('  ﷼ 12 ')).to.equal(12);
    expect(parseAmount('ر.س 49')).to.equal(49);
    expect(parseAmount('199.00')).to.equal(199);
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
