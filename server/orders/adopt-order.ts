import type { Transaction } from 'kysely';
import { pointsAmountToHalalas } from '../money.ts';
import type { OrderResource } from '../points/schemas.ts';
import type { Database } from '../store/schema.ts';
import type { OrderRow } from './repository.ts';

/**
 * Makes our row for an order Points holds under our keys but this server has none for (created by an
 * older integration, or lost in a restore from backup), from Points' authoritative record, so what
 * happens to it next (refunds, cancellations) reaches the merchant. The row starts `pending` with Points'
 * total as the expected one and `adopted_at` set; the caller then applies the order as for any other.
 * A concurrent adoption of the same order wins or loses the insert harmlessly. Returns the row it
 * inserts, built here: on D1 a transaction cannot read its own write back.
 */
export async function adoptOrder(
  trx: Transaction<Database>,
  order: OrderResource,
  orderNumber: string,
  now: number,
): Promise<OrderRow> {
  const items = (order.items ?? []).map((item) => ({
    name: item.product_name,
    priceHalalas: pointsAmountToHalalas(item.product_price),
    quantity: item.quantity,
  }));
  const row: OrderRow = {
    order_number: orderNumber,
    type: order.type === 1 ? 'earning' : 'replacing',
    state: 'pending',
    points_uuid: order.uuid,
    reference_number: order.reference_number ?? null,
    points_status: null,
    points_updated_at: null,
    shipping_status: null,
    expected_total_halalas: pointsAmountToHalalas(order.total_price),
    settled_total_halalas: null,
    refunded_halalas: 0,
    total_points: null,
    checkout_url: null,
    checkout_expires_at: null,
    callback_nonce_hashes: null,
    details: JSON.stringify({ products: items }),
    created_at: now,
    updated_at: now,
    adopted_at: now,
    reconciled_at: null,
  };
  await trx
    .insertInto('orders')
    .values(row)
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  return row;
}
