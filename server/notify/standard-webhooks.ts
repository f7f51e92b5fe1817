import { fromBase64, hmacSha256, toBase64 } from '../shared/hmac.ts';

/** Headers of a signed outbound webhook, per the Standard Webhooks specification. */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The HMAC key of a Standard Webhooks secret: `whsec_<base64>` secrets are base64-decoded, as the
 * specification's libraries do; any other secret is used as its UTF-8 bytes.
 */
function keyOf(secret: string): Uint8Array | string {
  return secret.startsWith('whsec_') ? fromBase64(secret.slice(6)) : secret;
}

/**
 * Signs an outbound webhook body: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
 * Receivers verify with any Standard Webhooks library (svix, standardwebhooks) and the same secret.
 *
 * @example
 * const headers = await signStandardWebhook(secret, delivery.id, Math.floor(Date.now() / 1000), body);
 */
export async function signStandardWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<StandardWebhookHeaders> {
  const signed = toBase64(await hmacSha256(keyOf(secret), `${id}.${timestampSeconds}.${body}`));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signed}`,
  };
}
