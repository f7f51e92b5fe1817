import { constantTimeEqual } from './constant-time.ts';

const encoder = new TextEncoder();

/**
 * HMAC-SHA256 of `data` under `key` (a string is its UTF-8 bytes), through WebCrypto (every runtime the
 * server runs on has it).
 *
 * @example
 * const mac = await hmacSha256(secret, `${id}.${timestamp}.${body}`);
 */
export async function hmacSha256(key: string | Uint8Array, data: Uint8Array | string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    (typeof key === 'string' ? encoder.encode(key) : key) as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, bytes as Uint8Array<ArrayBuffer>));
}

/** A SHA digest of `data` (a string is its UTF-8 bytes). */
export async function sha(algorithm: 'SHA-256' | 'SHA-384', data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>));
}

/** SHA-256 of `data` as lowercase hex. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  return toHex(await sha('SHA-256', data));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64url without padding (RFC 4648 §5), as tokens and URLs carry it. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Bytes of base64 or base64url text, read as leniently as Node's `Buffer.from(text, 'base64')`: characters
 * outside both alphabets are skipped, decoding stops at the first `=`, and a lone trailing character (less
 * than a byte) is dropped. Never throws.
 */
export function fromBase64(text: string): Uint8Array {
  let clean = text
    .split('=')[0]!
    .replace(/[^A-Za-z0-9+/_-]/g, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  if (clean.length % 4 === 1) clean = clean.slice(0, -1);
  const binary = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
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
