import { constantTimeEqual } from './constant-time.ts';

const encoder = new TextEncoder();

/** HMAC-SHA256 of `data` under `key`, through WebCrypto (every runtime the server runs on has it). */
export async function hmacSha256(key: string, data: Uint8Array | string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, bytes as Uint8Array<ArrayBuffer>));
}

/** SHA-256 of `data` as lowercase hex. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether `signature` is the HMAC-SHA256 of the raw body under any of `secrets`, in the given encoding.
 * Every secret is tried (no early exit), and each comparison is constant time.
 *
 * @example
 * await bodySignatureMatches(rawBody, header, [current, previous], 'base64'); // Shopify, WooCommerce
 */
export async function bodySignatureMatches(
  rawBody: Uint8Array,
  signature: string,
  secrets: readonly string[],
  encoding: 'hex' | 'base64',
): Promise<boolean> {
  let matched = false;
  for (const secret of secrets) {
    const digest = await hmacSha256(secret, rawBody);
    const expected = encoding === 'hex' ? toHex(digest) : toBase64(digest);
    // Hex is case-insensitive on the wire; base64 is not.
    const given = encoding === 'hex' ? signature.trim().toLowerCase() : signature.trim();
    if (constantTimeEqual(given, expected)) matched = true;
  }
  return matched;
}
