import { z } from 'zod';
import { decimalToHalalas } from '../money.ts';
import type { OrderFacts } from './connector.ts';

/** A connector's secret variable: optional (unset turns the connector off), never empty. */
export const connectorSecret = z.string().min(1).optional();

/** Payment method names that mean the order was paid with Points itself (our checkout, Points' plugin). */
const pointsPaymentMethods = /^(points|points[-_ ]?(edge|pay|app|wallet)|papp)$/i;

/** Whether any of a platform's payment method names (gateway ids or titles) is Points. */
export function paidWithPoints(names: ReadonlyArray<string | null | undefined>): boolean {
  return names.some((name) => name !== null && name !== undefined && pointsPaymentMethods.test(name.trim()));
}

/**
 * What we know of an order after one more delivery. Deliveries come in any order and any number of
 * times, so every fact only ever moves one way: paid, completed, cancelled and fully refunded stay once
 * seen, refunds are merged by their id (a later telling of a refund wins), and the other fields take the
 * newest value given.
 */
export function mergeOrderFacts(known: OrderFacts | undefined, next: OrderFacts): OrderFacts {
  if (!known) return next;
  const refunds = new Map((known.refunds ?? []).map((refund) => [refund.id, refund.halalas]));
  for (const refund of next.refunds ?? []) refunds.set(refund.id, refund.halalas);
  const sticky = (
    name: 'paid' | 'completed' | 'cancelled' | 'fullyRefunded' | 'cashOnDelivery' | 'paidWithPoints' | 'test',
  ) => (known[name] || next[name] ? { [name]: true } : {});
  return {
    ...known,
    ...Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined)),
    // A delivery without a phone does not take away one an earlier delivery gave.
    phone: next.phone ?? known.phone ?? null,
    ...sticky('paid'),
    ...sticky('completed'),
    ...sticky('cancelled'),
    ...sticky('fullyRefunded'),
    ...sticky('cashOnDelivery'),
    ...sticky('paidWithPoints'),
    ...sticky('test'),
    ...(refunds.size > 0 ? { refunds: [...refunds].map(([id, halalas]) => ({ id, halalas })) } : {}),
  } as OrderFacts;
}

/** Refunded so far, in halalas: the sum of the known refunds. */
export function refundedHalalas(facts: OrderFacts): number {
  return (facts.refunds ?? []).reduce((sum, refund) => sum + refund.halalas, 0);
}

/**
 * One platform line item as an order fact, or none when it cannot be one: it needs a name, a price of
 * zero or more, and a whole quantity of at least 1 (Points refuses anything else).
 *
 * @example order.line_items.flatMap((line) => lineItem(line.title, line.price, line.quantity))
 */
export function lineItem(
  name: string | null | undefined,
  price: string | number | null | undefined,
  quantity: string | number | null | undefined,
): NonNullable<OrderFacts['items']> {
  const halalas = price === null || price === undefined ? undefined : decimalToHalalas(price);
  const count = Number(quantity ?? 0);
  return name && halalas !== undefined && halalas >= 0 && Number.isInteger(count) && count >= 1
    ? [{ name, priceHalalas: halalas, quantity: count }]
    : [];
}
