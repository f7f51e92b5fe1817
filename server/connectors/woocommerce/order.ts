import { z } from 'zod';
import { decimalToHalalas } from '../../money.ts';
import { platformPhoneToSaudi } from '../../shared/saudi-phone.ts';
import type { OrderFacts } from '../connector.ts';
import { lineItem, paidWithPoints } from '../facts.ts';

const id = z.union([z.number(), z.string()]);
const money = z.union([z.string(), z.number()]);
const address = z
  .looseObject({
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    phone: z.string().nullish(),
    country: z.string().nullish(),
  })
  .nullish();

/**
 * The REST v3 order resource (`GET /wc/v3/orders/{id}`), which is both the body of an `order.*` webhook
 * and an item of the orders list the catch-up sweep reads. Only what earning needs.
 */
export const orderSchema = z.looseObject({
  id,
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string().nullish(),
  currency: z.string().nullish(),
  total: money.nullish(),
  date_modified_gmt: z.string().nullish(),
  date_paid: z.string().nullish(),
  date_paid_gmt: z.string().nullish(),
  payment_method: z.string().nullish(),
  payment_method_title: z.string().nullish(),
  billing: address,
  shipping: address,
  line_items: z
    .array(
      z.looseObject({ name: z.string().nullish(), price: money.nullish(), quantity: z.number().nullish() }),
    )
    .nullish(),
  refunds: z.array(z.looseObject({ id, total: money.nullish() })).nullish(),
  _links: z.looseObject({ self: z.array(z.looseObject({ href: z.string() })).nullish() }).nullish(),
});

export type WooOrder = z.infer<typeof orderSchema>;

/** Statuses WooCommerce reaches once the payment is taken (`wc_get_is_paid_statuses`). */
const paidStatuses = new Set(['processing', 'completed']);

/**
 * The store a WooCommerce URL names: its host, and its path when WordPress is not at the root.
 *
 * @example
 * storeIdFromUrl('https://shop.example/'); // 'shop.example'
 * storeIdFromUrl('https://example.com/shop/'); // 'example.com/shop'
 */
export function storeIdFromUrl(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.host + parsed.pathname.replace(/\/+$/, '');
}

/** Milliseconds since the epoch of a WooCommerce GMT date ("2026-11-24T12:08:51", no zone), or undefined. */
export function gmtMillis(date: string | null | undefined): number | undefined {
  if (!date) return undefined;
  const millis = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(date) ? date : `${date}Z`);
  return Number.isNaN(millis) ? undefined : millis;
}

/**
 * What a WooCommerce order says, the same for a webhook and for the catch-up sweep.
 *
 * Cash on delivery is paid only once `completed`: the COD gateway puts a new order straight into
 * `processing`, not paid. Its `date_paid` is not read: WooCommerce sets it at `completed` only while the COD
 * gateway's `woocommerce_payment_complete_order_status` filter is loaded, and on entering `processing` otherwise.
 */
export function orderFacts(storeId: string, order: WooOrder): OrderFacts {
  const cod = order.payment_method === 'cod';
  const status = order.status ?? '';
  const paid = cod
    ? status === 'completed'
    : paidStatuses.has(status) || Boolean(order.date_paid_gmt || order.date_paid);
  const phone =
    platformPhoneToSaudi({ number: order.billing?.phone, country: order.billing?.country }) ??
    platformPhoneToSaudi({ number: order.shipping?.phone, country: order.shipping?.country });
  const total = order.total === null || order.total === undefined ? undefined : decimalToHalalas(order.total);
  const name = [order.billing?.first_name, order.billing?.last_name]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
  return {
    storeId,
    orderId: String(order.id),
    ...(order.number !== null && order.number !== undefined && order.number !== ''
      ? { reference: String(order.number) }
      : {}),
    ...(paid ? { paid: true } : {}),
    ...(status === 'completed' ? { completed: true } : {}),
    ...(status === 'cancelled' ? { cancelled: true } : {}),
    ...(status === 'refunded' ? { fullyRefunded: true } : {}),
    ...(order.refunds
      ? {
          // WooCommerce gives each refund's total as a negative decimal ("-50.00").
          refunds: order.refunds.map((refund) => ({
            id: String(refund.id),
            halalas: Math.abs(decimalToHalalas(refund.total ?? '0') ?? 0),
          })),
        }
      : {}),
    ...(total !== undefined ? { totalHalalas: total } : {}),
    ...(order.currency ? { currency: order.currency } : {}),
    ...(cod ? { cashOnDelivery: true } : {}),
    ...(paidWithPoints([order.payment_method, order.payment_method_title]) ? { paidWithPoints: true } : {}),
    phone: phone ?? null,
    ...(name ? { customerName: name } : {}),
    ...(order.line_items
      ? {
          items: order.line_items.flatMap((line) => lineItem(line.name, line.price, line.quantity)),
        }
      : {}),
  };
}
