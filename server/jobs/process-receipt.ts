import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { EdgeContext } from '../edge-context.ts';
import {
  announceOrderUpdate,
  applyPointsOrder,
  pointsOrderNumber,
  withOrderExclusive,
} from '../orders/apply-points-order.ts';
import { PointsInputError, PointsNotFoundError } from '../points/errors.ts';
import type { OrderResource } from '../points/schemas.ts';
import { orderEventSchemas, type OrderEventName } from '../points/webhook.ts';
import type { Database } from '../store/schema.ts';
import type { JobHandler } from './worker.ts';

const payloadSchema = z.object({ receiptId: z.string() });
/** What processing needs from a stored order event: which order, and the refund facts REST lacks. */
const storedOrderEventSchema = z.object({
  order: z.looseObject({
    id: z.string(),
    refund_amount: orderEventSchemas.refunded.shape.order.shape.refund_amount.optional(),
    left_amount: orderEventSchemas.refunded.shape.order.shape.left_amount,
  }),
});

async function markReceipt(
  db: EdgeContext['store']['db'] | Transaction<Database>,
  id: string,
  status: 'processed' | 'ignored' | 'failed' | 'flagged',
  error: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('webhook_receipts')
    .set({ status, error, processed_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Processes one stored webhook receipt. The body is only as trustworthy as a shared secret, so the
 * order is fetched from Points and that answer is applied; the body contributes only what REST lacks
 * (refund amounts), and only where the authoritative order bears them out: a receipt whose refund facts
 * do not is marked `flagged` with the reason, and nothing of them is applied or told to the merchant. An
 * order Points does not know (404) is flagged at once; a Points outage throws, and the queue retries with
 * backoff until Points is back.
 * The receipt is marked processed in the same transaction as the order update, so a retried job never
 * applies a receipt twice.
 */
export function processReceiptJob(ctx: EdgeContext): JobHandler {
  return async function processReceipt(payload) {
    const { receiptId } = payloadSchema.parse(payload);
    const receipt = await ctx.store.db
      .selectFrom('webhook_receipts')
      .selectAll()
      .where('id', '=', receiptId)
      .executeTakeFirst();
    if (!receipt || receipt.status !== 'received') return;

    const stored = storedOrderEventSchema.safeParse(JSON.parse(receipt.raw_body));
    if (!stored.success) {
      await markReceipt(ctx.store.db, receiptId, 'failed', 'stored body has no order', ctx.now());
      return;
    }
    const { id, refund_amount, left_amount } = stored.data.order;

    let order: OrderResource;
    try {
      order = await ctx.points.getOrder(id);
    } catch (error) {
      if (!(error instanceof PointsNotFoundError || error instanceof PointsInputError)) throw error;
      // Asking again will not make Points know it: a forged body, or another merchant's order.
      ctx.logger.error(
        { alert: 'webhook_unknown_order', receiptId, event: receipt.event },
        'a webhook names an order Points does not know under our keys; flagged, not retried',
      );
      const why =
        error instanceof PointsNotFoundError
          ? 'Points does not know this order (404)'
          : 'the order id is not a Points uuid';
      await markReceipt(ctx.store.db, receiptId, 'flagged', why, ctx.now());
      return;
    }

    // D1 locks no row: there the order's lease keeps two receipts of one order from overwriting each other.
    const update = await withOrderExclusive(ctx, pointsOrderNumber(order), () =>
      ctx.store.db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('webhook_receipts')
          .select('status')
          .where('id', '=', receiptId)
          .executeTakeFirst();
        if (current?.status !== 'received') return undefined;
        const { change, flagged, otherSession } = await applyPointsOrder(
          ctx,
          trx,
          order,
          receipt.event as OrderEventName,
          {
            ...(refund_amount !== undefined ? { refundAmount: refund_amount } : {}),
            ...(left_amount !== undefined ? { leftAmount: left_amount } : {}),
          },
        );
        if (flagged) await markReceipt(trx, receiptId, 'flagged', flagged, ctx.now());
        else if (otherSession) {
          await markReceipt(
            trx,
            receiptId,
            'ignored',
            'a checkout session the order no longer waits on',
            ctx.now(),
          );
        } else await markReceipt(trx, receiptId, 'processed', null, ctx.now());
        return change;
      }),
    );
    await announceOrderUpdate(ctx, update);
  };
}
