/** Money inside the server is integer halalas (1 SAR = 100 halalas); SAR with 2 decimals only at the edges. */

const sarPattern = /^(0|[1-9]\d{0,9})(\.\d{1,2})?$/;

/**
 * Parses a SAR amount given as text or number ("199", "199.5", "199.50", 199.5) into halalas.
 * Returns undefined for anything else: negatives, more than 2 decimals, exponents, blanks.
 *
 * @example sarToHalalas('199.50') // 19950
 */
export function sarToHalalas(amount: string | number): number | undefined {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim();
  if (!sarPattern.test(text)) return undefined;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Halalas as a SAR number for the Points API, e.g. 19950 → 199.5. */
export function halalasToSar(halalas: number): number {
  return halalas / 100;
}

/** Halalas as SAR text with exactly 2 decimals, e.g. 19950 → "199.50". */
export function halalasToSarText(halalas: number): string {
  const sign = halalas < 0 ? '-' : '';
  const abs = Math.abs(halalas);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A SAR number from Points (which may carry float noise, e.g. 150.75000000001) in halalas. */
export function pointsAmountToHalalas(amount: number): number {
  return Math.round(amount * 100);
}

/**
 * A platform's decimal amount ("196.00", "196.00000000000000", "-50.00", 196) in halalas, rounded half
 * away from zero to the halala; `undefined` for anything that is not a plain decimal. Platforms send money
 * as text with any number of decimals (Zid sends fourteen), so this reads the digits, never a float.
 *
 * @example decimalToHalalas('196.00000000000000') // 19600
 * @example decimalToHalalas('-50.005') // -5001
 */
export function decimalToHalalas(amount: string | number): number | undefined {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim();
  const match = /^(-?)(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  const halalas = cents + (Number(fraction[2] ?? '0') >= 5 ? 1 : 0);
  return sign === '-' && halalas !== 0 ? -halalas : halalas;
}
