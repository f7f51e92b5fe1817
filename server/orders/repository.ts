import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Store } from '../store/db.ts';
import type { Database, OrdersTable } from '../store/schema.ts';
import type { OrderState } from './order-state.ts';
import type { ResolvedOrder } from './resolved-order.ts';

export type OrderRow = Selectable<OrdersTable>;
type Executor = Kysely<Database> | Transaction<Database>;

/** Finds one of our orders by its merchant order number. */
export function findOrder(db: Executor, orderNumber: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('order_number', '=', orderNumber).executeTakeFirst();
}

/** Finds one of our orders by the Points uuid we learned for it. */
export function findOrderByUuid(db: Executor, uuid: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('points_uuid', '=', uuid).executeTakeFirst();
}

/**
 * Finds the order a Points order belongs to (by uuid, else by number) and, on Postgres, locks its row
 * until the transaction ends, so concurrent workers apply updates one after another instead of
 * overwriting each other. SQLite transactions are already serialized.
 */
export async function findOrderForUpdate(
  trx: Transaction<Database>,
  engine: Store['engine'],
  uuid: string,
  orderNumber: string,
): Promise<OrderRow | undefined> {
  let query = trx
    .selectFrom('orders')
    .selectAll()
    .where((eb) => eb.or([eb('points_uuid', '=', uuid), eb('order_number', '=', orderNumber)]))
    .orderBy((eb) => eb.case().when('points_uuid', '=', uuid).then(0).else(1).end())
    .limit(1);
  if (engine === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A checkout session Points gave us for an order. */
export interface CheckoutSessionRecord {
  order: ResolvedOrder;
  /** Our id of the session, also in the metadata Points echoes (see `checkout-session.ts`). */
  sessionId?: string;
  checkoutUrl: string;
  expiresAt: number;
  /** Hashes of the nonces in the order's sessions' `callback_url`, this one first (see callback-nonce.ts). */
  callbackNonceHashes: string;
}

/**
 * Records a new checkout session: inserts the order, or points an existing unpaid order at its new
 * session (a changed amount or an expired session). The order goes back to `pending`.
 */
export async function saveCheckoutSession(
  db: Executor,
  session: CheckoutSessionRecord,
  now: number,
): Promise<void> {
  const { order } = session;
  const details = JSON.stringify({
    products: order.products,
    ...(order.name ? { name: order.name } : {}),
    ...(order.metadata ? { metadata: order.metadata } : {}),
    ...(session.sessionId ? { session: session.sessionId } : {}),
  });
  const values = {
    state: 'pending' as const,
    expected_total_halalas: order.totalHalalas,
    checkout_url: session.checkoutUrl,
    checkout_expires_at: session.expiresAt,
    callback_nonce_hashes: session.callbackNonceHashes,
    details,
    updated_at: now,
  };
  await db
    .insertInto('orders')
    .values({
      order_number: order.orderNumber,
      type: 'replacing',
      points_uuid: null,
      reference_number: null,
      points_status: null,
      points_updated_at: null,
      shipping_status: null,
      settled_total_halalas: null,
      refunded_halalas: 0,
      total_points: null,
      created_at: now,
      ...values,
    })
    .onConflict((conflict) => conflict.column('order_number').doUpdateSet(values))
    .execute();
}

/**
 * Names the session an existing order waits on from now, before Points is asked for it: Points may cancel
 * the session it replaces, and tell us, before it answers.
 */
export async function recordNextSession(
  db: Executor,
  row: OrderRow,
  sessionId: string,
  now: number,
): Promise<void> {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    // A row from before details were kept; the session is all it needs here.
  }
  await db
    .updateTable('orders')
    .set({ details: JSON.stringify({ ...details, session: sessionId }), updated_at: now })
    .where('order_number', '=', row.order_number)
    .execute();
}

/** Fields learned from Points about an order. */
export interface OrderUpdate {
  state: OrderState;
  pointsUuid?: string;
  referenceNumber?: string | null;
  pointsStatus?: string;
  pointsUpdatedAt?: string | null;
  shippingStatus?: string | null;
  settledTotalHalalas?: number | null;
  totalPoints?: number | null;
  refundedHalalas?: number;
}

/** Writes what Points told us about an order. */
export async function updateOrder(
  db: Executor,
  orderNumber: string,
  update: OrderUpdate,
  now: number,
): Promise<void> {
  await db
    .updateTable('orders')
    .set({
      state: update.state,
      ...(update.pointsUuid !== undefined ? { points_uuid: update.pointsUuid } : {}),
      ...(update.referenceNumber !== undefined ? { reference_number: update.referenceNumber } : {}),
      ...(update.pointsStatus !== undefined ? { points_status: update.pointsStatus } : {}),
      ...(update.pointsUpdatedAt !== undefined ? { points_updated_at: update.pointsUpdatedAt } : {}),
      ...(update.shippingStatus !== undefined ? { shipping_status: update.shippingStatus } : {}),
      ...(update.settledTotalHalalas !== undefined
        ? { settled_total_halalas: update.settledTotalHalalas }
        : {}),
      ...(update.totalPoints !== undefined ? { total_points: update.totalPoints } : {}),
      ...(update.refundedHalalas !== undefined ? { refunded_halalas: update.refundedHalalas } : {}),
      updated_at: now,
    })
    .where('order_number', '=', orderNumber)
    .execute();
}
