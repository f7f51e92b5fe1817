import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../shared/constant-time.ts';

/** Default life of a status token: long enough to come back to a bookmarked return page. */
export const statusTokenTtlMs = 30 * 24 * 60 * 60 * 1000;

function signature(key: string, orderNumber: string, expiresAt: number): Buffer {
  return createHmac('sha256', key)
    .update(`points-kit:order-status:v1\n${orderNumber}\n${expiresAt}`)
    .digest();
}

/**
 * A token that lets whoever holds it read one order's public status, and nothing else.
 * Format `<expires-at-epoch-seconds>.<base64url HMAC-SHA256>`; no secret or personal data inside.
 *
 * @example
 * const token = signStatusToken(key, 'ORD-1', Date.now());
 */
export function signStatusToken(
  key: string,
  orderNumber: string,
  now: number,
  ttlMs = statusTokenTtlMs,
): string {
  const expiresAt = Math.floor((now + ttlMs) / 1000);
  return `${expiresAt}.${signature(key, orderNumber, expiresAt).toString('base64url')}`;
}

/** Checks a status token for an order in constant time; false when tampered, for another order, or expired. */
export function verifyStatusToken(key: string, orderNumber: string, token: string, now: number): boolean {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const expiresAt = Number(match[1]);
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = signature(key, orderNumber, expiresAt);
  return constantTimeEqual(given, expected) && expiresAt * 1000 > now;
}
