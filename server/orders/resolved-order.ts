import { z } from 'zod';
import { sarToHalalas } from '../money.ts';
import { platformPhoneToSaudi } from '../shared/saudi-phone.ts';

/** An order the server trusts: from a signed token, the merchant's `resolveOrder` hook, or the catalog. */
export interface ResolvedOrder {
  orderNumber: string;
  totalHalalas: number;
  products: Array<{ name: string; priceHalalas: number; quantity: number }>;
  phone?: string;
  name?: string;
  metadata?: Record<string, unknown>;
}

/** A SAR amount as text or number: > 0 is checked by the caller, at most 2 decimals here. */
export const sarAmount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const halalas = sarToHalalas(value);
  if (halalas === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a SAR amount with at most 2 decimals, e.g. 199.50' });
    return z.NEVER;
  }
  return halalas;
});

/** Merchant order numbers: what Points accepts as `order_number`, minus surprises for URLs and logs. */
export const orderNumber = z
  .string()
  .trim()
  .transform((value) => value.replace(/^#/, ''))
  .pipe(
    z
      .string()
      .min(1, 'is required')
      .max(100, 'must be at most 100 characters')
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'may use letters, digits and . _ : / - only'),
  );

/** The shape shared by order tokens and `resolveOrder` results (SAR amounts at this edge). */
export const orderClaimsSchema = z.object({
  order_number: orderNumber,
  total_price: sarAmount.refine((halalas) => halalas > 0, 'must be more than 0'),
  products: z
    .array(
      z.object({
        product_name: z.string().trim().min(1).max(255),
        product_price: sarAmount,
        quantity: z.number().int().min(1).max(10_000),
      }),
    )
    .max(500)
    .default([]),
  /**
   * Optional, in any form a shopper types (`+966 5x`, `05x`, Arabic-Indic digits): kept as the `5XXXXXXXX`
   * Points wants. One that is still not a Saudi mobile is dropped, and Points asks the shopper for it: an
   * optional field never fails a checkout.
   */
  phone: z
    .string()
    .max(64)
    .optional()
    .transform((value) => (value === undefined ? undefined : platformPhoneToSaudi({ number: value }))),
  name: z.string().max(255).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** Turns validated claims into a {@link ResolvedOrder}. */
export function toResolvedOrder(claims: z.output<typeof orderClaimsSchema>): ResolvedOrder {
  return {
    orderNumber: claims.order_number,
    totalHalalas: claims.total_price,
    products: claims.products.map((product) => ({
      name: product.product_name,
      priceHalalas: product.product_price,
      quantity: product.quantity,
    })),
    ...(claims.phone ? { phone: claims.phone } : {}),
    ...(claims.name ? { name: claims.name } : {}),
    ...(claims.metadata ? { metadata: claims.metadata } : {}),
  };
}
