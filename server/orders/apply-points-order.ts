import type { EdgeContext, OrderUpdatedEvent } from '../edge-context.ts';
import { halalasToSarText, pointsAmountToHalalas } from '../money.ts';
import type { OrderResource } from '../points/schemas.ts';
import { withExclusive } from '../store/exclusive.ts';
import type { Database } from '../store/schema.ts';
import type { Transaction } from 'kysely';
import { adoptOrder } from './adopt-order.ts';
import { refundAlreadyCounted } from './counted-refunds.ts';
import { isOtherSession } from './checkout-session.ts';
import { advanceState, paymentStates, stateForPointsStatus, type OrderState } from './order-state.ts';
import { findOrderForUpdate, updateOrder, type OrderRow, type OrderUpdate } from './repository.ts';

/** Extra facts a webhook carries that the REST order does not (refund totals). */
export interface WebhookFacts {
  /** SAR still paid after a refund (`left_amount`), when Points said. */
  leftAmount?: number;
  /** SAR refunded by this event (`refund_amount`). */
  refundAmount?: number;
}

/** Strips Points' leading `#` so its order numbers compare with ours. */
export function pointsOrderNumber(order: Pick<OrderResource, 'order_number'>): string {
  return order.order_number.replace(/^#/, '');
}

/** The lease that serialises the updates of one of our orders where the engine has no row locks. */
export const orderLease = (orderNumber: string) => `order:${orderNumber}`;

/**
 * Runs `fn`, which updates the order `orderNumber`, one caller at a time on D1: its transactions lock
 * nothing, so without the order's lease two updates both read the row and the later overwrites the
 * earlier. SQLite runs one writer at a time, and Postgres locks the row (`findOrderForUpdate`).
 *
 * @example
 * await withOrderExclusive(ctx, pointsOrderNumber(order), () =>
 *   ctx.store.db.transaction().execute((trx) => applyPointsOrder(ctx, trx, order, 'callback')),
 * );
 */
export function withOrderExclusive<T>(
  ctx: Pick<EdgeContext, 'store' | 'now'>,
  orderNumber: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (ctx.store.engine !== 'd1') return fn();
  return withExclusive(ctx.store, orderLease(orderNumber), fn, { now: ctx.now });
}

/** Refunded so far by Points' authority, or why a webhook's refund facts were not believed. */
interface RefundedTotal {
  halalas: number;
  /** Set when the body claimed a refund the authoritative order does not bear out; nothing of it applied. */
  flagged?: string;
}

/**
 * Refunded so far. Points' REST order has no refund totals, only its `order_status`, so the body's
 * `refund_amount` / `left_amount` are used only where that status allows them: none unless Points says
 * refunded, all of the settled total when `fully_refunded`, and for `partially_refunded` an amount
 * strictly between nothing and the settled total that agrees with `left_amount`. Only ever grows while
 * Points says refunded, whatever order the refund events arrive in. A `refund_amount` without
 * `left_amount` is added, once: `counted` says a refund of that amount was added already.
 */
function refundedTotal(
  row: OrderRow,
  settled: number,
  order: OrderResource,
  facts: WebhookFacts,
  counted: boolean,
): RefundedTotal {
  const claimed = facts.refundAmount !== undefined || facts.leftAmount !== undefined;
  const refund = facts.refundAmount === undefined ? undefined : pointsAmountToHalalas(facts.refundAmount);
  const left = facts.leftAmount === undefined ? undefined : pointsAmountToHalalas(facts.leftAmount);
  if (order.order_status === 'fully_refunded') return { halalas: settled };
  if (order.order_status !== 'partially_refunded') {
    const flagged = claimed ? `Points says ${order.order_status}, not refunded` : undefined;
    return { halalas: 0, ...(flagged ? { flagged } : {}) };
  }
  const kept = { halalas: row.refunded_halalas < settled ? row.refunded_halalas : 0 };
  if (left !== undefined) {
    if (left <= 0 || left >= settled) {
      return {
        ...kept,
        flagged: `left_amount ${halalasToSarText(left)} is no partial refund of ${halalasToSarText(settled)}`,
      };
    }
    if (refund !== undefined && (refund <= 0 || refund > settled - left)) {
      return {
        ...kept,
        flagged: `refund_amount ${halalasToSarText(refund)} disagrees with left_amount ${halalasToSarText(left)}`,
      };
    }
    return { halalas: Math.max(kept.halalas, settled - left) };
  }
  if (refund !== undefined) {
    if (counted) {
      return {
        ...kept,
        flagged: `refund_amount ${halalasToSarText(refund)} was counted already (a re-stamped copy)`,
      };
    }
    if (refund <= 0 || kept.halalas + refund >= settled) {
      return {
        ...kept,
        flagged: `refund_amount ${halalasToSarText(refund)} goes beyond a partial refund of ${halalasToSarText(settled)}`,
      };
    }
    return { halalas: kept.halalas + refund };
  }
  return kept;
}

/** What applying a Points order did. */
export interface AppliedOrder {
  change: OrderUpdatedEvent | undefined;
  /** Why the webhook's refund facts were flagged and left unapplied (the authoritative order still was). */
  flagged?: string;
  /** The Points order is an unpaid checkout session our order no longer waits on; nothing was changed. */
  otherSession?: true;
}

/**
 * Applies the authoritative Points order to our copy inside `trx`: the state only moves forward, a paid
 * total that differs from the expected one is flagged `amount_mismatch`, and a state change enqueues the
 * merchant notification in the same transaction. An order Points has under our keys with no row here is
 * adopted first (`adopt-order.ts`): nothing Points tells us is dropped. Says what changed.
 *
 * @example
 * const { change } = await withOrderExclusive(ctx, pointsOrderNumber(order), () =>
 *   ctx.store.db.transaction().execute((trx) => applyPointsOrder(ctx, trx, order, 'webhook', facts)),
 * );
 */
export async function applyPointsOrder(
  ctx: EdgeContext,
  trx: Transaction<Database>,
  order: OrderResource,
  cause: string,
  facts: WebhookFacts = {},
): Promise<AppliedOrder> {
  const found = await findOrAdoptRow(ctx, trx, order, cause, facts);
  const { row } = found;
  const settled = pointsAmountToHalalas(order.total_price);
  const decided = decideState(ctx, row, order, settled, cause);
  if ('ignored' in decided) return decided.ignored;
  const counted = found.counted ?? (await readRefundCounted(trx, order, facts));
  const refund = countRefunds(ctx, row, order, settled, facts, counted, cause);
  const change = await writeOrder(ctx, trx, row, order, { state: decided.state, settled, refund }, cause);
  return { change, ...(refund.flagged ? { flagged: refund.flagged } : {}) };
}

/** Our row for the Points order, and, when it had to be read before a write (D1), the counted refund. */
interface FoundRow {
  row: OrderRow;
  counted?: boolean;
}

/**
 * Finds our row for the Points order (locked on Postgres), or adopts the order when there is none. A D1
 * transaction cannot read after it writes, so there the counted refund is read before the insert and the
 * adoption goes on with the row it built (docs/workers.md; `test/workers/d1-orders.test.ts`).
 */
async function findOrAdoptRow(
  ctx: EdgeContext,
  trx: Transaction<Database>,
  order: OrderResource,
  cause: string,
  facts: WebhookFacts,
): Promise<FoundRow> {
  const number = pointsOrderNumber(order);
  const row = await findOrderForUpdate(trx, ctx.store.engine, order.uuid, number);
  if (row) return { row };
  let adopted: FoundRow;
  if (ctx.store.engine === 'd1') {
    // A D1 transaction cannot read after it writes: read now, and go on with the row as built.
    const counted = await readRefundCounted(trx, order, facts);
    adopted = { row: await adoptOrder(trx, order, number, ctx.now()), counted };
  } else {
    await adoptOrder(trx, order, number, ctx.now());
    // A concurrent adoption may have won the insert (Postgres): read back the row that is, locked.
    const readBack = await findOrderForUpdate(trx, ctx.store.engine, order.uuid, number);
    if (!readBack) throw new Error('an adopted order has no row');
    adopted = { row: readBack };
  }
  ctx.logger.error(
    {
      alert: 'order_adopted',
      orderNumber: adopted.row.order_number,
      pointsStatus: order.order_status,
      cause,
    },
    'Points has an order under our keys that this server had no row for; adopted from its record',
  );
  return adopted;
}

/** Whether the webhook's lone `refund_amount` (no `left_amount`) was added to this order already. */
async function readRefundCounted(
  trx: Transaction<Database>,
  order: OrderResource,
  facts: WebhookFacts,
): Promise<boolean> {
  return (
    facts.leftAmount === undefined &&
    facts.refundAmount !== undefined &&
    (await refundAlreadyCounted(trx, order.uuid, pointsAmountToHalalas(facts.refundAmount)))
  );
}

/** Anyone with the public key can start a checkout: an adopted one's price was never ours to check. */
function priceUnchecked(row: OrderRow): boolean {
  return row.adopted_at !== null && row.type === 'replacing';
}

/**
 * The state our order moves to, or what to answer when this Points order is not the one it follows:
 * Points holds one order per checkout session under our number, and only the paid one counts.
 */
function decideState(
  ctx: EdgeContext,
  row: OrderRow,
  order: OrderResource,
  settled: number,
  cause: string,
): { state: OrderState } | { ignored: AppliedOrder } {
  const totalsMatch = settled === row.expected_total_halalas && !priceUnchecked(row);
  const observed = stateForPointsStatus(order.order_status, totalsMatch);
  if (row.points_uuid === order.uuid || (!row.points_uuid && !isOtherSession(row, order, settled))) {
    return { state: advanceState(row.state, observed) };
  }
  if (paymentStates.has(row.state)) {
    // Points holds several orders under our number (one per checkout session) and one is paid already.
    if (paymentStates.has(observed)) {
      ctx.logger.error(
        { alert: 'second_payment', orderNumber: row.order_number, cause },
        'a second Points order for an already paid order was paid; refund one of them',
      );
    }
    return { ignored: { change: undefined } };
  }
  // The session that was paid is the one that counts, even after another session was cancelled.
  if (paymentStates.has(observed)) return { state: observed };
  // A session this order no longer waits on (e.g. replaced after a cart change): its cancellation is its own.
  return { ignored: { change: undefined, otherSession: true } };
}

/** The refunded total to record ({@link refundedTotal}), with an alert when it is flagged or repairs ours. */
function countRefunds(
  ctx: EdgeContext,
  row: OrderRow,
  order: OrderResource,
  settled: number,
  facts: WebhookFacts,
  counted: boolean,
  cause: string,
): RefundedTotal {
  const refund = refundedTotal(row, settled, order, facts, counted);
  if (refund.flagged) {
    ctx.logger.error(
      { alert: 'refund_flagged', orderNumber: row.order_number, pointsStatus: order.order_status, cause },
      `refund facts not applied: ${refund.flagged}`,
    );
  }
  if (refund.halalas < row.refunded_halalas) {
    ctx.logger.error(
      {
        alert: 'refund_drift',
        orderNumber: row.order_number,
        pointsStatus: order.order_status,
        recorded: row.refunded_halalas,
        repaired: refund.halalas,
        cause,
      },
      'our refunded total was more than Points bears out; repaired from the authoritative order',
    );
  }
  return refund;
}

/** What {@link writeOrder} records: the decided state, the settled total and the refunds counted. */
interface Decided {
  state: OrderState;
  settled: number;
  refund: RefundedTotal;
}

/**
 * Writes the row and, when the state, the refunds or the shipping status changed, enqueues the merchant
 * notification in the same transaction. Returns that change.
 */
async function writeOrder(
  ctx: EdgeContext,
  trx: Transaction<Database>,
  row: OrderRow,
  order: OrderResource,
  { state, settled, refund }: Decided,
  cause: string,
): Promise<OrderUpdatedEvent | undefined> {
  const refunded = refund.halalas;
  const paid = state !== 'pending' && state !== 'abandoned' && state !== 'cancelled';
  const shippingStatus =
    order.status === null || order.status === undefined ? row.shipping_status : String(order.status);
  const stateChanged = state !== row.state;
  const update = {
    state,
    pointsUuid: order.uuid,
    referenceNumber: order.reference_number ?? row.reference_number,
    pointsStatus: stateChanged || !row.points_status ? order.order_status : row.points_status,
    pointsUpdatedAt: order.updated_at ?? row.points_updated_at,
    shippingStatus,
    settledTotalHalalas: paid ? settled : row.settled_total_halalas,
    totalPoints: order.total_points,
    refundedHalalas: refunded,
  };
  // Only a real change moves `updated_at`: the reconciliation sweep reads recently changed orders.
  if (changesRow(row, update)) await updateOrder(trx, row.order_number, update, ctx.now());
  if (state === 'amount_mismatch' && stateChanged) {
    ctx.logger.error(
      {
        alert: 'amount_mismatch',
        orderNumber: row.order_number,
        expected: row.expected_total_halalas,
        settled,
      },
      priceUnchecked(row)
        ? 'an adopted checkout was paid, for a total this server never set; order flagged, not confirmed'
        : 'settled total differs from the expected total; order flagged, not confirmed',
    );
  }
  if (!stateChanged && refunded === row.refunded_halalas && shippingStatus === row.shipping_status) {
    return undefined;
  }
  const event = orderUpdatedEvent(row, order, { state, paid, settled, refunded, shippingStatus }, cause);
  await ctx.enqueueNotification(trx, event);
  return event;
}

/** Whether writing `update` would change anything in `row`. */
function changesRow(row: OrderRow, update: Required<OrderUpdate>): boolean {
  return (
    update.state !== row.state ||
    update.pointsUuid !== row.points_uuid ||
    update.referenceNumber !== row.reference_number ||
    update.pointsStatus !== row.points_status ||
    update.pointsUpdatedAt !== row.points_updated_at ||
    update.shippingStatus !== row.shipping_status ||
    update.settledTotalHalalas !== row.settled_total_halalas ||
    update.totalPoints !== row.total_points ||
    update.refundedHalalas !== row.refunded_halalas
  );
}

/** The notification of a change: the order as written, beside the state it had before. */
function orderUpdatedEvent(
  row: OrderRow,
  order: OrderResource,
  next: {
    state: OrderState;
    paid: boolean;
    settled: number;
    refunded: number;
    shippingStatus: string | null;
  },
  cause: string,
): OrderUpdatedEvent {
  return {
    orderNumber: row.order_number,
    state: next.state,
    previousState: row.state,
    pointsStatus: order.order_status,
    pointsUuid: order.uuid,
    referenceNumber: order.reference_number ?? row.reference_number,
    expectedTotal: halalasToSarText(row.expected_total_halalas),
    settledTotal: next.paid ? halalasToSarText(next.settled) : null,
    refundedTotal: halalasToSarText(next.refunded),
    totalPoints: order.total_points,
    shippingStatus: next.shippingStatus,
    cause,
    adopted: row.adopted_at !== null,
  };
}

/**
 * Applies a Points order in its own transaction (under the order's lease on D1), then tells the merchant
 * of the change, if any.
 */
export async function applyAndAnnounce(
  ctx: EdgeContext,
  order: OrderResource,
  cause: string,
  facts: WebhookFacts = {},
): Promise<OrderUpdatedEvent | undefined> {
  const { change } = await withOrderExclusive(ctx, pointsOrderNumber(order), () =>
    ctx.store.db.transaction().execute((trx) => applyPointsOrder(ctx, trx, order, cause, facts)),
  );
  await announceOrderUpdate(ctx, change);
  return change;
}

/** Calls the library-mode hook after commit; a failing hook is logged, never undoes the update. */
export async function announceOrderUpdate(
  ctx: EdgeContext,
  event: OrderUpdatedEvent | undefined,
): Promise<void> {
  if (!event) return;
  if (ctx.config.merchantWebhook) ctx.wakeWorker();
  if (!ctx.onOrderUpdated) return;
  try {
    await ctx.onOrderUpdated(event);
  } catch (error) {
    ctx.logger.error({ err: error, orderNumber: event.orderNumber }, 'onOrderUpdated hook failed');
  }
}
