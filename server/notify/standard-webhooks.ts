import { createHmac } from 'node:crypto';

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
function keyOf(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

/**
 * Signs an outbound webhook body: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
 * Receivers verify with any Standard Webhooks library (svix, standardwebhooks) and the same secret.
 *
 * @example
 * const headers = signStandardWebhook(secret, delivery.id, Math.floor(Date.now() / 1000), body);
 */
export function signStandardWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): StandardWebhookHeaders {
  const signed = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signed}`,
  };
}
