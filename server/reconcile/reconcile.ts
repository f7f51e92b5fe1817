import { sql } from 'kysely';
import type { EdgeContext, OrderUpdatedEvent, PointsGateway } from '../edge-context.ts';
import { halalasToSarText } from '../money.ts';
import { announceOrderUpdate, applyAndAnnounce, withOrderExclusive } from '../orders/apply-points-order.ts';
import type { OrderRow } from '../orders/repository.ts';
import type { OrderState } from '../orders/order-state.ts';
import { dayMs } from '../retention/retention-periods.ts';

/** Options for {@link reconcileOrders}. */
export interface ReconcileOptions {
  /**
   * Nightly pass: every open order changed within `RECONCILE_FULL_WINDOW_DAYS` (`config.reconcile`), so its
   * cost stays bounded as orders accumulate. Default: the recent sweep.
   */
  full?: boolean;
  /** The sweep looks at open orders updated within this window; default 3 days. */
  sweepWindowMs?: number;
  /** Called after each order (CLI progress). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Asked before each order: false ends the pass early (a Worker near its subrequest limit). The orders left
   * wait for the next pass, which starts with the least recently checked, so passes cut short still cover all.
   */
  keepGoing?: () => boolean;
}

/**
 * The most D1 statements and fetches one order costs a pass: 7 measured (Points' answer, the order's lease,
 * the transaction, the check mark, a notification; `test/workers/subrequest-limit.test.ts`), plus four more
 * looks at the order's lease when another isolate holds it.
 */
export const subrequestsPerReconciledOrder = 12;

/** What one pass did. */
export interface ReconcileReport {
  mode: 'sweep' | 'full';
  checked: number;
  /** Orders whose local copy differed from Points and was repaired. */
  drift: number;
  /** Checkout orders whose session expired without a word, now `abandoned`. */
  abandoned: number;
  /** Orders Points could not be asked about (outage); the next pass tries again. */
  failed: number;
  /** Orders not reached because `keepGoing` said stop; the next pass starts with them. */
  left: number;
}

/** Notes when a pass last asked Points about the order, so the next pass cut short starts elsewhere. */
async function markReconciled(ctx: EdgeContext, orderNumber: string): Promise<void> {
  await ctx.store.db
    .updateTable('orders')
    .set({ reconciled_at: ctx.now() })
    .where('order_number', '=', orderNumber)
    .execute();
}

/** States in which Points may still change an order (refunds can follow a payment). */
const openStates: OrderState[] = [
  'pending',
  'authorized',
  'confirmed',
  'amount_mismatch',
  'partially_refunded',
];

async function abandonExpired(ctx: EdgeContext, keepGoing: () => boolean): Promise<number> {
  const expired = await ctx.store.db
    .selectFrom('orders')
    .selectAll()
    .where('state', '=', 'pending')
    .where('points_uuid', 'is', null)
    .where('checkout_expires_at', '<', ctx.now())
    .execute();
  let abandoned = 0;
  for (const row of expired) {
    if (!keepGoing()) break;
    const event = await withOrderExclusive(ctx, row.order_number, () =>
      ctx.store.db.transaction().execute(async (trx) => {
        // Decided by a read before the write: inside a D1 transaction a write's row count reads 0.
        let still = trx
          .selectFrom('orders')
          .select('order_number')
          .where('order_number', '=', row.order_number)
          .where('state', '=', 'pending')
          .where('points_uuid', 'is', null);
        if (ctx.store.engine === 'postgres') still = still.forUpdate();
        if (!(await still.executeTakeFirst())) return undefined;
        await trx
          .updateTable('orders')
          .set({ state: 'abandoned', updated_at: ctx.now() })
          .where('order_number', '=', row.order_number)
          .where('state', '=', 'pending')
          .where('points_uuid', 'is', null)
          .execute();
        const change = abandonedEvent(row);
        await ctx.enqueueNotification(trx, change);
        return change;
      }),
    );
    await announceOrderUpdate(ctx, event);
    abandoned += 1;
  }
  return abandoned;
}

function abandonedEvent(row: OrderRow): OrderUpdatedEvent {
  return {
    orderNumber: row.order_number,
    state: 'abandoned',
    previousState: row.state,
    pointsStatus: row.points_status,
    pointsUuid: row.points_uuid,
    referenceNumber: row.reference_number,
    expectedTotal: halalasToSarText(row.expected_total_halalas),
    settledTotal: null,
    refundedTotal: halalasToSarText(row.refunded_halalas),
    totalPoints: row.total_points,
    shippingStatus: row.shipping_status,
    cause: 'reconcile',
    adopted: row.adopted_at !== null,
  };
}

/**
 * One reconciliation pass: reads each open order from Points (`GET /v1/orders/{uuid}`) and applies it
 * with `applyPointsOrder`, the same path as a webhook, so a missed or lost delivery is repaired and
 * counted as drift. Checkout orders whose session expired with no word from Points become `abandoned`.
 *
 * @example
 * const report = await reconcileOrders(ctx, ctx.points, { full: true });
 */
export async function reconcileOrders(
  ctx: EdgeContext,
  points: Pick<PointsGateway, 'getOrder'>,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const mode = options.full ? 'full' : 'sweep';
  const keepGoing = options.keepGoing ?? (() => true);
  // `updated_at` is set at creation and moves only on a real change: this reads "created or changed since".
  const windowMs = options.full
    ? ctx.config.reconcile.fullWindowDays * dayMs
    : (options.sweepWindowMs ?? 3 * dayMs);
  const rows = await ctx.store.db
    .selectFrom('orders')
    .selectAll()
    .where('state', 'in', openStates)
    .where('points_uuid', 'is not', null)
    .where('updated_at', '>=', ctx.now() - windowMs)
    .orderBy(sql`coalesce(reconciled_at, 0)`)
    .orderBy('updated_at')
    .execute();
  const report: ReconcileReport = { mode, checked: 0, drift: 0, abandoned: 0, failed: 0, left: 0 };
  for (const [index, row] of rows.entries()) {
    if (!keepGoing()) {
      report.left = rows.length - index;
      break;
    }
    try {
      const order = await points.getOrder(row.points_uuid!);
      const event = await applyAndAnnounce(ctx, order, 'reconcile');
      if (event) report.drift += 1;
      report.checked += 1;
    } catch (error) {
      report.failed += 1;
      ctx.logger.warn({ err: error, orderNumber: row.order_number }, 'reconcile could not read the order');
    }
    await markReconciled(ctx, row.order_number);
    options.onProgress?.(report.checked + report.failed, rows.length);
  }
  report.abandoned = await abandonExpired(ctx, keepGoing);
  ctx.logger.info({ reconcile: report }, 'reconciliation pass finished');
  return report;
}
