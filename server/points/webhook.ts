/**
 * Verifies and parses a Points webhook delivery (points-api.md §4). Points signs nothing: it sends the
 * webhook's shared secret in `X-Webhook-Secret`, so the body is only as trustworthy as that secret, and
 * processing should fetch the authoritative order from the API.
 *
 * @example
 * const result = parsePointsWebhook({ rawBody, headers: c.req.raw.headers, secrets: [current, previous] });
 * if (!result.ok) return c.body(null, result.reason === 'bad_secret' ? 401 : 400);
 * if (result.event === 'unknown') log.warn({ name: result.name }, 'unknown Points event');
 * else await storeReceipt(await pointsWebhookDedupeKey(result), result);
 */
import { unstorable } from '../shared/storable-json.ts';
import { z } from 'zod';
import { decimalSchema, metadataSchema, orderStatusSchema, uuidSchema } from './schemas.ts';
import { constantTimeEqual } from '../shared/constant-time.ts';
import { sha256Hex } from '../shared/hmac.ts';
import { issueLines } from '../shared/field-errors.ts';
import { isObject } from '../shared/is-object.ts';

const timestampSchema = z.string().min(1);

/** §4.2: what every order event carries at least (examples omit reference_number, type, metadata). */
const webhookOrderSchema = z.looseObject({
  /** The REST `uuid` (not the REST integer `id`). */
  id: uuidSchema,
  reference_number: z.string().nullish(),
  order_number: z.string(),
  type: z.enum(['earning', 'replacing']).optional(),
  total_price: decimalSchema,
  total_points: decimalSchema,
  /** `fully_paid` or `partially_paid`; kept open because its semantics are undocumented. */
  payment_status: z.string(),
  order_status: orderStatusSchema,
  metadata: metadataSchema,
  created_at: timestampSchema,
  updated_at: timestampSchema,
});

const envelopeSchema = z.looseObject({ timestamp: timestampSchema.optional() });

/** Per-event payload schemas, with the extras of §4.3. */
export const orderEventSchemas = {
  approved: envelopeSchema.extend({ event: z.literal('approved'), order: webhookOrderSchema }),
  authorized: envelopeSchema.extend({ event: z.literal('authorized'), order: webhookOrderSchema }),
  captured: envelopeSchema.extend({ event: z.literal('captured'), order: webhookOrderSchema }),
  cancelled: envelopeSchema.extend({
    event: z.literal('cancelled'),
    order: webhookOrderSchema.extend({ reason: z.string().nullish() }),
  }),
  completed: envelopeSchema.extend({ event: z.literal('completed'), order: webhookOrderSchema }),
  shipping_status_updated: envelopeSchema.extend({
    event: z.literal('shipping_status_updated'),
    order: webhookOrderSchema.extend({
      status: z.union([z.string().min(1), z.number().int()]),
      status_label: z.string().nullish(),
      custom_status: z.looseObject({ ar: z.string().nullish(), en: z.string().nullish() }).nullish(),
    }),
  }),
  refunded: envelopeSchema.extend({
    event: z.literal('refunded'),
    order: webhookOrderSchema.extend({
      refund_amount: decimalSchema,
      reason: z.string().nullish(),
      refund_points: decimalSchema.optional(),
      left_points: decimalSchema.optional(),
      left_amount: decimalSchema.optional(),
    }),
  }),
  auto_refunded: envelopeSchema.extend({
    event: z.literal('auto_refunded'),
    order: webhookOrderSchema.extend({
      refund_amount: decimalSchema,
      refund_points: decimalSchema.optional(),
      reason: z.string().nullish(),
    }),
  }),
};

/** Merchant-level balance events (PHP SDK only, not in the docs); amounts arrive as strings. */
const merchantEventSchema = z.looseObject({
  event: z.enum(['low_balance_warning', 'debt_exceeded']),
  merchant: z.looseObject({ id: z.number().int(), name: z.string().nullish() }),
  data: z.looseObject({
    current_balance: decimalSchema.optional(),
    order_points: decimalSchema.optional(),
    balance_after_order: decimalSchema.optional(),
    max_debt_allowed: decimalSchema.optional(),
  }),
  timestamp: timestampSchema.optional(),
});

export type OrderEventName = keyof typeof orderEventSchemas;
export type MerchantEventName = 'low_balance_warning' | 'debt_exceeded';
export type OrderEventPayload<E extends OrderEventName> = z.infer<(typeof orderEventSchemas)[E]>;
export type MerchantEventPayload = z.infer<typeof merchantEventSchema>;

export const orderEventNames = Object.keys(orderEventSchemas) as OrderEventName[];

export type PointsOrderWebhook = {
  [E in OrderEventName]: { ok: true; event: E; payload: OrderEventPayload<E>; secretIndex: number };
}[OrderEventName];

export type PointsMerchantWebhook = {
  [E in MerchantEventName]: { ok: true; event: E; payload: MerchantEventPayload; secretIndex: number };
}[MerchantEventName];

export type PointsUnknownWebhook = {
  ok: true;
  event: 'unknown';
  name: string;
  body: unknown;
  secretIndex: number;
};

export type PointsWebhookRejection = {
  ok: false;
  reason: 'bad_secret' | 'malformed_json' | 'invalid_envelope' | 'event_mismatch';
  /** Safe to log: never contains the secret or body values. */
  detail: string;
};

export type PointsWebhookResult =
  PointsOrderWebhook | PointsMerchantWebhook | PointsUnknownWebhook | PointsWebhookRejection;

export interface ParsePointsWebhookInput {
  rawBody: string | Uint8Array;
  /** A `Headers` object, or Node's `IncomingHttpHeaders`-style record. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** Accepted secrets, current first; several during a rotation. */
  secrets: readonly string[];
}

function header(headers: ParsePointsWebhookInput['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

const encoder = new TextEncoder();
const secretBytes = new Map<string, Uint8Array>();

/** A configured secret as bytes, made once: the same few secrets are checked on every delivery. */
function bytesOf(secret: string): Uint8Array {
  let bytes = secretBytes.get(secret);
  if (!bytes) {
    if (secretBytes.size >= 16) secretBytes.clear(); // rotations only ever add a few
    bytes = encoder.encode(secret);
    secretBytes.set(secret, bytes);
  }
  return bytes;
}

/**
 * Index of the configured secret that matches `provided`, or -1. Every secret is compared, without
 * stopping at the first match, and each comparison takes the same time whatever the bytes (a wrong
 * length compares the secret with itself, then fails): see {@link constantTimeEqual}.
 */
export function matchSecret(provided: string, secrets: readonly string[]): number {
  const given = encoder.encode(provided);
  let match = -1;
  secrets.forEach((secret, index) => {
    if (constantTimeEqual(given, bytesOf(secret)) && match === -1) match = index;
  });
  return match;
}

function isOrderEvent(name: string): name is OrderEventName {
  return Object.hasOwn(orderEventSchemas, name);
}

function reject(reason: PointsWebhookRejection['reason'], detail: string): PointsWebhookRejection {
  return { ok: false, reason, detail };
}

function describeIssues(error: z.ZodError): string {
  return issueLines(error.issues.slice(0, 5)).join('; ');
}

/**
 * Checks `X-Webhook-Secret` alone, before any of the body is read: a caller without the secret costs
 * no read (an upload it then aborts is never our error).
 */
export function verifyWebhookSecret(
  headers: ParsePointsWebhookInput['headers'],
  configured: readonly string[],
): { ok: true; secretIndex: number } | PointsWebhookRejection {
  const secrets = configured.filter((secret) => secret.length > 0);
  if (secrets.length === 0) throw new TypeError('parsePointsWebhook: configure at least one secret');
  const provided = header(headers, 'x-webhook-secret');
  if (provided === undefined || provided === '')
    return reject('bad_secret', 'missing X-Webhook-Secret header');
  const secretIndex = matchSecret(provided, secrets);
  if (secretIndex === -1) return reject('bad_secret', 'X-Webhook-Secret matches no configured secret');
  return { ok: true, secretIndex };
}

/**
 * Checks the secret, then the JSON envelope, then the event's schema. Unknown event names are returned
 * (`event: 'unknown'`) rather than rejected, so a new Points event is reported, not lost.
 */
export function parsePointsWebhook(input: ParsePointsWebhookInput): PointsWebhookResult {
  const secret = verifyWebhookSecret(input.headers, input.secrets);
  if (!secret.ok) return secret;
  return parseVerifiedWebhook(input.rawBody, input.headers, secret.secretIndex);
}

/**
 * The body of a delivery whose secret {@link verifyWebhookSecret} already accepted (as `secretIndex`):
 * the JSON envelope, then the event's schema. For a route that checks the secret before reading the body.
 */
export function parseVerifiedWebhook(
  rawBody: ParsePointsWebhookInput['rawBody'],
  headers: ParsePointsWebhookInput['headers'],
  secretIndex: number,
): PointsWebhookResult {
  let body: unknown;
  try {
    const text =
      typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
    body = JSON.parse(text) as unknown;
  } catch {
    return reject('malformed_json', 'body is not valid UTF-8 JSON');
  }
  if (!isObject(body) || typeof body.event !== 'string' || body.event === '') {
    return reject('invalid_envelope', 'body is not an object with a string `event`');
  }
  // A retry would not make such a body storable: refused (400), not answered 503 forever.
  const poison = unstorable(body);
  if (poison) return reject('invalid_envelope', poison);
  const name = body.event;
  const headerEvent = header(headers, 'x-webhook-event');
  if (headerEvent !== undefined && headerEvent !== name) {
    return reject('event_mismatch', 'X-Webhook-Event differs from the body `event`');
  }

  if (isOrderEvent(name)) {
    const parsed = orderEventSchemas[name].safeParse(body);
    if (!parsed.success) return reject('invalid_envelope', `${name}: ${describeIssues(parsed.error)}`);
    return { ok: true, event: name, payload: parsed.data, secretIndex } as PointsOrderWebhook;
  }
  if (name === 'low_balance_warning' || name === 'debt_exceeded') {
    const parsed = merchantEventSchema.safeParse(body);
    if (!parsed.success) return reject('invalid_envelope', `${name}: ${describeIssues(parsed.error)}`);
    return { ok: true, event: name, payload: parsed.data, secretIndex };
  }
  return { ok: true, event: 'unknown', name, body, secretIndex };
}

const amount = (value: number | undefined) => (value === undefined ? '' : value.toFixed(2));

/**
 * The dedupe key of an accepted delivery (DESIGN.md): `(order.id, event, order.updated_at)` plus the
 * event's discriminators — shipping `status`, refund `refund_amount`/`left_amount` — so a retried
 * delivery gets the same key while a second partial refund or shipping update gets a new one.
 * Merchant events use `(merchant.id, event, timestamp)` plus the balance after the order; unknown events
 * a digest of their body. Parts are URI-encoded and joined with `:`.
 *
 * @example await pointsWebhookDedupeKey(result) // 'refunded:550e8400-…:2026-04-18T15%3A00%3A00Z:25.00:125.75'
 */
export async function pointsWebhookDedupeKey(
  result: PointsOrderWebhook | PointsMerchantWebhook | PointsUnknownWebhook,
): Promise<string> {
  let parts: string[];
  if (result.event === 'unknown') {
    parts = ['unknown', result.name, await sha256Hex(JSON.stringify(result.body))];
  } else if (result.event === 'low_balance_warning' || result.event === 'debt_exceeded') {
    const { merchant, data, timestamp } = result.payload;
    parts = [result.event, String(merchant.id), timestamp ?? '', amount(data.balance_after_order)];
  } else {
    const { order } = result.payload;
    parts = [result.event, order.id.toLowerCase(), order.updated_at];
    if (result.event === 'shipping_status_updated') parts.push(String(result.payload.order.status));
    if (result.event === 'refunded' || result.event === 'auto_refunded') {
      parts.push(amount(result.payload.order.refund_amount));
    }
    if (result.event === 'refunded') parts.push(amount(result.payload.order.left_amount));
  }
  return parts.map(encodeURIComponent).join(':');
}
