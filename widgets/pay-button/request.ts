import type { CheckoutRequest } from '../shared/events.ts';

/**
 * Reads the order to check out from the button's attributes: a signed order token, an order
 * number, or catalog items (`[{ "sku": "…", "quantity": 1 }]`). `undefined` when none is usable.
 */
export function checkoutRequestFrom(attributes: {
  orderToken: string;
  orderNumber: string;
  items: string;
}): CheckoutRequest | undefined {
  if (attributes.orderToken) return { orderToken: attributes.orderToken };
  if (attributes.orderNumber) return { orderNumber: attributes.orderNumber };
  if (!attributes.items) return undefined;
  try {
    const parsed: unknown = JSON.parse(attributes.items);
    if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
    const items = parsed.map((item: { sku?: unknown; quantity?: unknown }) => {
      const quantity = item.quantity ?? 1;
      if (
        typeof item.sku !== 'string' ||
        !item.sku ||
        !Number.isInteger(quantity) ||
        (quantity as number) < 1
      ) {
        throw new TypeError('bad item');
      }
      return { sku: item.sku, quantity: quantity as number };
    });
    return { items };
  } catch {
    return undefined;
  }
}
