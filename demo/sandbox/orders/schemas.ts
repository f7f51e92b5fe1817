import { z } from 'zod';
import { normalizeSaudiPhone } from '../../../server/shared/saudi-phone.ts';
import { shippingStatuses } from '../store.ts';

/** SAR, at least 0; capped like a decimal(10,2) column so halala arithmetic stays exact [INF]. */
const amount = z.number().min(0).max(99_999_999.99);
const optionalAmount = amount.nullish();
const metadata = z.record(z.string(), z.unknown()).nullish();

/** Laravel-style text for a failed phone normalisation (§1.7). */
export const phoneFormatMessage = 'The phone number format is invalid.';

/** A §1.7 phone, normalised to `5XXXXXXXX`; anything else is a 422 on the field. */
export const phone = z.string().transform((value, ctx) => {
  const normalised = normalizeSaudiPhone(value);
  if (!normalised) {
    ctx.addIssue({ code: 'custom', message: phoneFormatMessage });
    return z.NEVER;
  }
  return normalised;
});

/** A merchant order reference; a leading `#` is stripped server-side. */
const orderNumber = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .transform((value) => value.replace(/^#/, ''));

export const productLine = z.object({
  product_name: z.string().min(1).max(255),
  product_price: amount,
  quantity: z.int().min(1),
});

const shippingAddress = z
  .object({ city: z.string().max(100).nullish(), line1: z.string().max(255).nullish() })
  .nullish();

const orderFields = {
  total_price: amount,
  order_number: orderNumber,
  name: z.string().max(255).nullish(),
  shipping_amount: optionalAmount,
  tax_amount: optionalAmount,
  discount_amount: optionalAmount,
  shipping_address: shippingAddress,
  metadata,
};

export const checkoutRequest = z.object({
  ...orderFields,
  phone_number: phone.nullish(),
  products: z.array(productLine).min(1).nullish(),
  callback_url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullish(),
});

export const earningRequest = z.object({
  ...orderFields,
  phone_number: phone,
  products: z.array(productLine).min(1),
});

const ratingFields = {
  phone_number: phone,
  review_reference: z.string().trim().min(1).max(255),
  rating: z.int().min(1).max(5).nullish(),
  comment: z.string().max(5000).nullish(),
  metadata,
};

export const storeRatingRequest = z.object(ratingFields);

export const productRatingRequest = z.object({
  ...ratingFields,
  product_id: z.string().trim().min(1).max(255),
  product_name: z.string().max(255).nullish(),
});

export const paymentMethods = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;

export const completeRequest = z.object({ payment_method: z.enum(paymentMethods).nullish() });

// Not nullable, as in the official file: a `null` amount must never read as "refund everything".
export const cancelRequest = z.object({ reason: z.string().max(500).optional() });

export const refundRequest = z.object({ amount: amount.optional(), reason: z.string().max(500).optional() });

export const shippingStatusRequest = z
  .object({
    status: z.enum(shippingStatuses).nullish(),
    name_ar: z.string().trim().min(1).max(120).nullish(),
    name_en: z.string().trim().min(1).max(120).nullish(),
  })
  .superRefine((body, ctx) => {
    if (body.status == null && body.name_ar == null && body.name_en == null) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'The status field is required when none of name ar / name en are present.',
      });
    }
  });
