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
export function formatSar(halalas: number): string {
  const sign = halalas < 0 ? '-' : '';
  const abs = Math.abs(halalas);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A SAR number from Points (which may carry float noise, e.g. 150.75000000001) in halalas. */
export function pointsAmountToHalalas(amount: number): number {
  return Math.round(amount * 100);
}
