import { constantTimeEqual } from '../shared/constant-time.ts';
import { fromBase64, sha, toBase64Url } from '../shared/hmac.ts';

/** The query parameter of `callback_url` that carries a checkout session's nonce. */
export const callbackNonceParameter = 'nonce';

/** Sessions of one order whose nonces are kept (a cart changed this often in one checkout is plenty). */
const keptNonces = 10;

const digest = (value: string) => sha('SHA-256', value);
/** Compared against when there is no stored nonce, so a miss costs what a wrong nonce costs. */
const noNonce = digest('no nonce stored').then(toBase64Url);

/**
 * A new checkout session's callback nonce: 128 random bits, sent to Points inside `callback_url` (so only
 * the shopper Points redirects holds it), and its SHA-256, which is all we store.
 */
export async function newCallbackNonce(): Promise<{ nonce: string; hash: string }> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  return { nonce, hash: toBase64Url(await digest(nonce)) };
}

/**
 * The order's stored hashes with a new session's first. A replaced session's shopper (the cart changed in
 * another tab) is still this order's shopper, so the hashes of its last {@link keptNonces} sessions stay.
 */
export function withNonce(stored: string | null | undefined, hash: string): string {
  return [hash, ...(stored ?? '').split(' ').filter(Boolean)].slice(0, keptNonces).join(' ');
}

/**
 * True when `given` is the nonce of one of the order's sessions (`stored`: their hashes, see
 * {@link withNonce}); every hash is compared in constant time.
 */
export async function callbackNonceMatches(
  stored: string | null | undefined,
  given: string,
): Promise<boolean> {
  const actual = await digest(given);
  const hashes = (stored ?? '').split(' ').filter(Boolean);
  let match = false;
  for (const hash of hashes.length > 0 ? hashes : [await noNonce]) {
    const equal = constantTimeEqual(actual, fromBase64(hash));
    match ||= equal && hashes.length > 0;
  }
  return match;
}
