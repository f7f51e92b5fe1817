import { timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` equals `expected` (a secret, a signature), in time that depends only on `expected`'s
 * length: equal lengths go through `timingSafeEqual`, and a wrong length compares `expected` with itself
 * (then fails). Strings are compared as their UTF-8 bytes.
 */
export function constantTimeEqual(given: string | Uint8Array, expected: string | Uint8Array): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : given;
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  const sameLength = a.length === b.length;
  return timingSafeEqual(sameLength ? a : b, b) && sameLength;
}
