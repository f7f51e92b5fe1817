import { constantTimeEqual } from '../shared/constant-time.ts';
import { fromBase64, hmacSha256, toBase64Url } from '../shared/hmac.ts';

/** Default life of a status token: long enough to come back to a bookmarked return page. */
export const statusTokenTtlMs = 30 * 24 * 60 * 60 * 1000;

function signature(key: string, orderNumber: string, expiresAt: number): Promise<Uint8Array> {
  return hmacSha256(key, `points-kit:order-status:v1\n${orderNumber}\n${expiresAt}`);
}

/**
 * A token that lets whoever holds it read one order's public status, and nothing else.
 * Format `<expires-at-epoch-seconds>.<base64url HMAC-SHA256>`; no secret or personal data inside.
 *
 * @example
 * const token = await signStatusToken(key, 'ORD-1', Date.now());
 */
export async function signStatusToken(
  key: string,
  orderNumber: string,
  now: number,
  ttlMs = statusTokenTtlMs,
): Promise<string> {
  const expiresAt = Math.floor((now + ttlMs) / 1000);
  return `${expiresAt}.${toBase64Url(await signature(key, orderNumber, expiresAt))}`;
}

/** Checks a status token for an order in constant time; false when tampered, for another order, or expired. */
export async function verifyStatusToken(
  key: string,
  orderNumber: string,
  token: string,
  now: number,
): Promise<boolean> {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const expiresAt = Number(match[1]);
  const given = fromBase64(match[2]!);
  const expected = await signature(key, orderNumber, expiresAt);
  return constantTimeEqual(given, expected) && expiresAt * 1000 > now;
}
