/**
 * Normalises a Saudi mobile number the way Points does (points-api.md §1.7): strip spaces and dashes,
 * strip one leading `+966`, `00966`, `966` or `0`, then require nine digits starting with 5.
 * Returns `undefined` when the number cannot be a Saudi mobile.
 *
 * @example
 * normalizeSaudiPhone('+966 50-000-0001'); // '500000001'
 * normalizeSaudiPhone('0500000001'); // '500000001'
 * normalizeSaudiPhone('12345'); // undefined
 */
export function normalizeSaudiPhone(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '');
  const local = compact.replace(/^(\+966|00966|966|0)/, '');
  return /^5\d{8}$/.test(local) ? local : undefined;
}
