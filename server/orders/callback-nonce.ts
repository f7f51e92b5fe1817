import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The query parameter of `callback_url` that carries a checkout session's nonce. */
export const callbackNonceParameter = 'nonce';

const digest = (value: string) => createHash('sha256').update(value).digest();
/** Compared against when there is no stored nonce, so a miss costs what a wrong nonce costs. */
const noNonce = digest('no nonce stored').toString('base64url');

/**
 * A new checkout session's callback nonce: 128 random bits, sent to Points inside `callback_url` (so only
 * the shopper Points redirects holds it), and its SHA-256, which is all we store.
 */
export function newCallbackNonce(): { nonce: string; hash: string } {
  const nonce = randomBytes(16).toString('base64url');
  return { nonce, hash: digest(nonce).toString('base64url') };
}

/** True when `given` is the nonce whose hash is stored; in time independent of either value. */
export function callbackNonceMatches(storedHash: string | null | undefined, given: string): boolean {
  const expected = Buffer.from(storedHash ?? noNonce, 'base64url');
  const actual = digest(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) && Boolean(storedHash);
}
