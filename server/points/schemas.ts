/**
 * zod schemas for what Points answers (points-api.md §1.4, §2, §3.1). Objects are loose (unknown extra
 * fields pass through) but the fields we rely on — uuid, order_number, order_status, type, total_price,
 * total_points — are strict. Documented conflicts are tolerated: shipping `status` as int or string,
 * free-form `date`/`time`, missing optional fields, decimals sent as strings.
 */
import { z } from 'zod';

/** Any 8-4-4-4-12 hex id; Points' examples include ids that are not RFC 9562 UUIDs. */
export const uuidSchema = z.guid();

/** A JSON number, or a decimal string as Laravel sometimes casts them (`"150.50"`), as a number. */
export const decimalSchema = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** Free-form metadata; PHP encodes an empty map as `[]`, which we read as `{}`. */
export const metadataSchema = z
  .union([
    z.record(z.string(), z.unknown()),
    z
      .array(z.unknown())
      .max(0)
      .transform((): Record<string, unknown> => ({})),
  ])
  .nullish();

export const orderStatusSchema = z.enum([
  'new',
  'approved',
  'authorized',
  'captured',
  'cancelled',
  'fully_refunded',
  'partially_refunded',
]);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const shippingStatusSchema = z.enum([
  'new',
  'license_in_progress',
  'ready_shipping',
  'delivery_is_in_progress',
  'delivered',
  'cancelled',
]);
export type ShippingStatus = z.infer<typeof shippingStatusSchema>;

/** REST order `type`: 1 earning, 2 replacing (checkout). */
export const orderTypeSchema = z.union([z.literal(1), z.literal(2)]);

const productLineSchema = z.looseObject({
  product_name: z.string(),
  product_price: decimalSchema,
  quantity: z.number().int(),
});

/** §3.1 `OrderResource`. */
export const orderResourceSchema = z.looseObject({
  id: z.number().int().optional(),
  uuid: uuidSchema,
  reference_number: z.string().nullish(),
  order_status: orderStatusSchema,
  status_label: z.string().nullish(),
  custom_status: z.looseObject({ ar: z.string().nullish(), en: z.string().nullish() }).nullish(),
  order_number: z.string(),
  type: orderTypeSchema,
  total_price: decimalSchema.pipe(z.number().nonnegative()),
  total_points: decimalSchema,
  metadata: metadataSchema,
  /** ISO date (`2024-12-23`) per the spec, `Monday,23 Dec` per the SDK fixture: display only. */
  date: z.string().nullish(),
  /** `10:00:00` per the spec, `05:50 am` per the SDK fixture: display only. */
  time: z.string().nullish(),
  since: z.string().nullish(),
  settlement_status: z.string().nullish(),
  /** Shipping status: an integer `OrderShippingStatus` per the spec, the string enum elsewhere. */
  status: z.union([z.number().int(), z.string()]).nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  items: z.array(productLineSchema).nullish(),
});
export type OrderResource = z.infer<typeof orderResourceSchema>;

/** §2.4 earning answer for a customer who has not activated the Points app yet (no uuid). */
export const pendingEarningSchema = z.looseObject({
  pending_client_activation: z.literal(true),
  pending_earning_order: z.looseObject({
    id: z.number().int(),
    merchant_order_number: z.string(),
    total_price: decimalSchema,
    total_points: decimalSchema,
  }),
});
export type PendingEarning = z.infer<typeof pendingEarningSchema>;

/** What an earning call returns, made explicit. */
export type EarningResult =
  | { status: 'awarded'; order: OrderResource }
  | { status: 'pending_client_activation'; pending: PendingEarning['pending_earning_order'] };

export const earningResultSchema = z.union([
  pendingEarningSchema.transform((pending): EarningResult => ({
    status: 'pending_client_activation',
    pending: pending.pending_earning_order,
  })),
  orderResourceSchema.transform((order): EarningResult => ({ status: 'awarded', order })),
]);

/** §2.2: the checkout answer carries only the hosted page URL (no uuid); the browser goes there, so http(s) only. */
export const checkoutSessionSchema = z.looseObject({ checkout_url: z.url({ protocol: /^https?$/ }) });
export type CheckoutSession = z.infer<typeof checkoutSessionSchema>;

/** §2.13 `WebhookBase`; `secret` comes back on every read. */
export const webhookResourceSchema = z.looseObject({
  uuid: uuidSchema,
  merchant_id: z.number().int().optional(),
  name: z.string(),
  url: z.string(),
  secret: z.string(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type WebhookResource = z.infer<typeof webhookResourceSchema>;

/** Laravel paginator `links` and `meta` beside `data` (§1.4). */
export const webhookListSchema = z.looseObject({
  data: z.array(webhookResourceSchema),
  links: z
    .looseObject({
      first: z.string().nullish(),
      last: z.string().nullish(),
      prev: z.string().nullish(),
      next: z.string().nullish(),
    })
    .optional(),
  meta: z
    .looseObject({
      current_page: z.number().int(),
      from: z.number().int().nullish(),
      last_page: z.number().int(),
      per_page: z.number().int(),
      to: z.number().int().nullish(),
      total: z.number().int(),
    })
    .optional(),
});
export type WebhookList = z.infer<typeof webhookListSchema>;

/** §2.14 answer. */
export const integrationStatusSchema = z.looseObject({ active: z.boolean() });
export type IntegrationStatus = z.infer<typeof integrationStatusSchema>;

/** §1.4 success envelope; `appended_data` is `{}` except `[]` on integration status. */
export const envelopeSchema = z.looseObject({
  status: z.boolean(),
  message: z.string().nullish(),
  appended_data: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
});

/** §1.4 error envelope, and Laravel's bare 422 `{ message, errors }` (no `status`). */
export const errorBodySchema = z.looseObject({
  status: z.boolean().optional(),
  message: z.string().nullish(),
  errors: z.record(z.string(), z.union([z.array(z.string()), z.string()])).optional(),
});
