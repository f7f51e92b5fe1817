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

/** The largest amount read as a price: more than a billion riyals is a misread (or a typo), not a price. */
export const maxAmountSar = 1_000_000_000;
/** The largest estimate shown; past it the figure would be float noise and overflow a phone's column. */
export const maxPoints = 1_000_000_000_000;

/**
 * Points earned on an amount: whole points, rounded half up, never negative; 0 past {@link maxPoints}.
 * `earnRate` is points per SAR. Rounds on halalas so 19.99 × 10 is 200, not 199.89999….
 */
export function pointsFor(amountSar: number, earnRate: number): number {
  if (!Number.isFinite(amountSar) || !Number.isFinite(earnRate) || amountSar <= 0 || earnRate <= 0) return 0;
  const halalas = Math.round(amountSar * 100);
  const points = Math.round((halalas * earnRate) / 100);
  return points <= maxPoints ? points : 0;
}

/** Arabic-Indic (٠-٩) and Extended Arabic-Indic, or Persian (۰-۹), digits: each run starts at a multiple of 16. */
const easternDigit = /[\u0660-\u0669\u06f0-\u06f9]/g;

/** Separators stores print inside a number: comma, dot, Arabic ones, apostrophe and (narrow) spaces. */
const separators = ".,\u066b\u066c\u060c'\u00a0\u202f ";
const numberToken = new RegExp(`\\d(?:\\d|[${separators}](?=\\d))*`);

/**
 * Reads the first amount in SAR out of shop text: currency words and symbols are ignored, Arabic-Indic
 * digits count, and the separators are read as stores print them: `199,00` and `1.234,50` (decimal
 * comma), `1,234.50`, `1 234,50`, `١٬٢٣٤٫٥٠`. A separator followed by one or two digits marks the
 * decimals, by three groups thousands (`٫` is always the decimal mark). `NaN` for what cannot be read
 * for sure: no number, a negative one, one with letters against it (`x1y2`, `1e6`, `SAR199`), one
 * followed by another (`10 20`), groups that are not of three digits, more than {@link maxAmountSar}.
 * @example parseAmount('SAR 1,234.50') // 1234.5
 * @example parseAmount('1.234,50 ر.س') // 1234.5
 */
export function parseAmount(text: string): number {
  const latin = text.replace(easternDigit, (digit) => String(digit.charCodeAt(0) % 16));
  const match = numberToken.exec(latin);
  if (!match) return Number.NaN;
  const before = latin.slice(0, match.index);
  const after = latin.slice(match.index + match[0].length);
  // Letters against the digits make a code or junk (`x1y2`, `1a2`, `1e6`), not a price; so does a second
  // number right after the first (`10  20`).
  if (/([-\u2212]\s*|\p{L})$/u.test(before) || /^(\p{L}|\s*\d)/u.test(after)) return Number.NaN;
  const amount = readNumber(match[0]);
  return amount <= maxAmountSar ? amount : Number.NaN;
}

/** A run of digits and separators as a number, or NaN when its separators are inconsistent. */
function readNumber(token: string): number {
  const parts = token.split(new RegExp(`[${separators}]`));
  const marks = token.replace(/\d/g, '');
  if (parts.length === 1) return Number(token);
  const last = parts[parts.length - 1]!;
  const lastMark = marks[marks.length - 1]!;
  const decimal = lastMark === '\u066b' || (last.length <= 2 && !"'\u00a0\u202f ".includes(lastMark));
  const groups = decimal ? parts.slice(0, -1) : parts;
  const groupMarks = decimal ? marks.slice(0, -1) : marks;
  if (groupMarks && (new Set(groupMarks).size > 1 || (decimal && groupMarks.includes(lastMark)))) {
    return Number.NaN;
  }
  if (groups.slice(1).some((group) => group.length !== 3) || (groups[0]!.length > 3 && groups.length > 1)) {
    return Number.NaN;
  }
  return Number(`${groups.join('')}${decimal ? `.${last}` : ''}`);
}

/** Arabic grammatical number of a count: zero, one, two, few, many or other (`Intl.PluralRules`). */
export function pluralOf(count: number, lang: Lang): Intl.LDMLPluralRule {
  return new Intl.PluralRules(lang).select(count);
}
