/**
 * zod schemas for request bodies (points-api.md §2). The client checks every body with these before
 * sending, so a bad phone number or amount fails fast with a `PointsInputError` and no request.
 * Amounts are SAR numbers (≥ 0, at most 2 decimals); phone numbers are normalised to `5XXXXXXXX`.
 */
import { z } from 'zod';
import { sarToHalalas } from '../money.ts';
import { normalizeSaudiPhone } from '../shared/saudi-phone.ts';
import { shippingStatusSchema } from './schemas.ts';

/** SAR as a JSON number, ≥ 0 with at most two decimals. */
export const sarAmountSchema = z
  .number()
  .finite()
  .refine((value) => sarToHalalas(value) !== undefined, {
    message: 'Must be a SAR amount ≥ 0 with at most 2 decimals',
  });

/** Any accepted Saudi mobile format, sent as the normalised `5XXXXXXXX`. */
export const phoneSchema = z.string().transform((value, ctx) => {
  const normalized = normalizeSaudiPhone(value);
  if (normalized === undefined) {
    ctx.addIssue({ code: 'custom', message: 'Must be a Saudi mobile number (5XXXXXXXX)' });
    return z.NEVER;
  }
  return normalized;
});

/** Merchant order reference; a leading `#` is left for Points to strip. */
const orderNumberSchema = z.string().trim().min(1).max(255);
const metadataSchema = z.record(z.string(), z.unknown()).nullish();

export const productLineSchema = z.strictObject({
  product_name: z.string().min(1).max(255),
  product_price: sarAmountSchema,
  quantity: z.number().int().min(1),
});

export const shippingAddressSchema = z.strictObject({
  city: z.string().max(100).nullish(),
  line1: z.string().max(255).nullish(),
});

const orderAmountsShape = {
  name: z.string().max(255).nullish(),
  shipping_amount: sarAmountSchema.nullish(),
  tax_amount: sarAmountSchema.nullish(),
  discount_amount: sarAmountSchema.nullish(),
  shipping_address: shippingAddressSchema.nullish(),
  metadata: metadataSchema,
};

/** §2.2 `CheckoutRequest`. */
export const checkoutRequestSchema = z.strictObject({
  total_price: sarAmountSchema,
  order_number: orderNumberSchema,
  phone_number: phoneSchema.nullish(),
  products: z.array(productLineSchema).min(1).nullish(),
  callback_url: z.url({ protocol: /^https?$/ }).nullish(),
  ...orderAmountsShape,
});
export type CheckoutInput = z.input<typeof checkoutRequestSchema>;

/** §2.4 `EarningOrderRequest`. */
export const earningRequestSchema = z.strictObject({
  phone_number: phoneSchema,
  total_price: sarAmountSchema,
  products: z.array(productLineSchema).min(1),
  order_number: orderNumberSchema,
  ...orderAmountsShape,
});
export type EarningInput = z.input<typeof earningRequestSchema>;

/** §2.5 store rating; `review_reference` is the merchant-scoped idempotency key. */
export const storeRatingRequestSchema = z.strictObject({
  phone_number: phoneSchema,
  review_reference: z.string().trim().min(1).max(255),
  rating: z.number().int().min(1).max(5).nullish(),
  comment: z.string().nullish(),
  metadata: metadataSchema,
});
export type StoreRatingInput = z.input<typeof storeRatingRequestSchema>;

/** §2.6 product rating. */
export const productRatingRequestSchema = storeRatingRequestSchema.extend({
  product_id: z.string().trim().min(1).max(255),
  product_name: z.string().max(255).nullish(),
});
export type ProductRatingInput = z.input<typeof productRatingRequestSchema>;

/** §2.7 payment method codes (strings on the wire). */
export const PAYMENT_METHODS = {
  visa: '1',
  mada: '2',
  applePay: '3',
  mastercard: '4',
  tabby: '5',
  dashboard: '6',
  bankTransfer: '7',
  wallet: '8',
  cash: '9',
  tamara: '10',
} as const;

export const completeRequestSchema = z.strictObject({
  payment_method: z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']).nullish(),
});
export type CompleteInput = z.input<typeof completeRequestSchema>;

/** §2.10; Points stores `Order cancelled via API` when `reason` is omitted. */
export const cancelRequestSchema = z.strictObject({ reason: z.string().max(500).nullish() });
export type CancelInput = z.input<typeof cancelRequestSchema>;

/** §2.11: at least one of `status`, `name_ar`, `name_en`. */
export const shippingStatusRequestSchema = z
  .strictObject({
    status: shippingStatusSchema.optional(),
    name_ar: z.string().min(1).max(120).optional(),
    name_en: z.string().min(1).max(120).optional(),
  })
  .refine((body) => Boolean(body.status ?? body.name_ar ?? body.name_en), {
    message: 'Give at least one of status, name_ar, name_en',
  });
export type ShippingStatusInput = z.input<typeof shippingStatusRequestSchema>;

/** §2.12; no `amount` refunds the whole remaining amount. */
export const refundRequestSchema = z.strictObject({
  amount: sarAmountSchema.optional(),
  reason: z.string().max(500).nullish(),
});
export type RefundInput = z.input<typeof refundRequestSchema>;

/** §2.13 list query; `page` is Laravel's paginator parameter (the spec documents `per_page` only). */
export const listWebhooksQuerySchema = z.strictObject({
  per_page: z.number().int().min(1).optional(),
  page: z.number().int().min(1).optional(),
});
export type ListWebhooksInput = z.input<typeof listWebhooksQuerySchema>;

export const createWebhookRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(255),
  url: z.url({ protocol: /^https?$/ }).max(500),
});
export type CreateWebhookInput = z.input<typeof createWebhookRequestSchema>;

/** PUT and PATCH body: at least one property. */
export const updateWebhookRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(255).optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional(),
  })
  .refine((body) => body.name !== undefined || body.url !== undefined, {
    message: 'Give at least one of name, url',
  });
export type UpdateWebhookInput = z.input<typeof updateWebhookRequestSchema>;

export const integrationStatusRequestSchema = z.strictObject({ active: z.boolean() });
export type IntegrationStatusInput = z.input<typeof integrationStatusRequestSchema>;
