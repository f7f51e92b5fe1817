/**
 * Normalises a Saudi mobile number the way Points does (§1.7): strip spaces and dashes, strip one
 * leading `+966`, `00966`, `966` or `0`, then require nine digits starting with 5.
 *
 * @example
 * normalisePhone('+966 50-000-0001'); // '500000001'
 * normalisePhone('12345'); // undefined
 */
export function normalisePhone(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '');
  const local = compact.replace(/^(\+966|00966|966|0)/, '');
  return /^5\d{8}$/.test(local) ? local : undefined;
}

/** `+96650*****01`: enough for the customer to recognise the number, never the whole of it. */
export function maskPhone(phone: string): string {
  return `+966${phone.slice(0, 2)}*****${phone.slice(-2)}`;
}
