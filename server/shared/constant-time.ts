const encoder = new TextEncoder();

/**
 * Whether `given` equals `expected` (a secret, a signature), in time that depends only on `expected`'s
 * length: every byte of `expected` is visited and differences are OR-ed together, with no early exit, and a
 * wrong length compares `expected` with itself (then fails). Strings are compared as their UTF-8 bytes.
 * Plain JavaScript on bytes, so it runs the same on every runtime (Node's `timingSafeEqual` is Node only).
 *
 * @example
 * if (!constantTimeEqual(header, config.adminToken)) return deny();
 */
export function constantTimeEqual(given: string | Uint8Array, expected: string | Uint8Array): boolean {
  const a = typeof given === 'string' ? encoder.encode(given) : given;
  const b = typeof expected === 'string' ? encoder.encode(expected) : expected;
  const sameLength = a.length === b.length;
  const left = sameLength ? a : b;
  let difference = 0;
  for (let index = 0; index < b.length; index++) difference |= left[index]! ^ b[index]!;
  return difference === 0 && sameLength;
}
