/** Languages the widgets speak. Arabic first: it is the default when the page says nothing. */
export type Lang = 'ar' | 'en';
/** Digits to print numbers with: Latin (0-9) or Arabic-Indic (٠-٩). */
export type Numerals = 'latn' | 'arab';

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, numerals: Numerals, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${numerals}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(`${lang}-SA-u-nu-${numerals}`, options);
    formatters.set(key, format);
  }
  return format;
}

/**
 * Formats a whole number of points with grouping, e.g. `1,990` or `١٬٩٩٠`.
 * @example formatPoints(1990, 'en', 'latn') // "1,990"
 */
export function formatPoints(points: number, lang: Lang, numerals: Numerals): string {
  return numberFormat(lang, numerals, { maximumFractionDigits: 0 }).format(points);
}

/**
 * Formats an amount in Saudi riyals with two decimals.
 * @example formatSar(199, 'en', 'latn') // "SAR 199.00"
 */
export function formatSar(amount: number, lang: Lang, numerals: Numerals): string {
  return numberFormat(lang, numerals, {
    style: 'currency',
    currency: 'SAR',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

/**
 * Points earned on an amount: whole points, rounded half up, never negative.
 * `earnRate` is points per SAR. Rounds on halalas so 19.99 × 10 is 200, not 199.89999….
 */
export function pointsFor(amountSar: number, earnRate: number): number {
  if (!Number.isFinite(amountSar) || !Number.isFinite(earnRate) || amountSar <= 0 || earnRate <= 0) return 0;
  const halalas = Math.round(amountSar * 100);
  return Math.round((halalas * earnRate) / 100);
}

const digitZeros = [0x0660, 0x06f0]; // Arabic-Indic ٠ and Extended Arabic-Indic (Persian) ۰

/**
 * Reads the first amount in SAR out of shop text: currency words and symbols are ignored, `,` `٬`
 * group digits, `.` `٫` mark the decimals, Arabic-Indic digits count. `NaN` when there is no number.
 * @example parseAmount('SAR 1,234.50') // 1234.5
 * @example parseAmount('١٬٢٣٤٫٥٠ ر.س') // 1234.5
 */
export function parseAmount(text: string): number {
  let latin = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const zero = digitZeros.find((start) => code >= start && code <= start + 9);
    latin += zero === undefined ? char : String(code - zero);
  }
  const match = /\d[\d,\u066c]*(?:[.\u066b]\d+)?/.exec(latin);
  return match ? Number(match[0].replace(/[,\u066c]/g, '').replace('\u066b', '.')) : Number.NaN;
}

/** Arabic grammatical number of a count: zero, one, two, few, many or other (`Intl.PluralRules`). */
export function pluralOf(count: number, lang: Lang): Intl.LDMLPluralRule {
  return new Intl.PluralRules(lang).select(count);
}
