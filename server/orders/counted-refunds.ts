import type { Transaction } from 'kysely';
import { z } from 'zod';
import { pointsAmountToHalalas } from '../money.ts';
import { decimalSchema } from '../points/schemas.ts';
import type { Database } from '../store/schema.ts';

const refundBodySchema = z.object({ order: z.looseObject({ refund_amount: decimalSchema }) });

/** The Points events whose stored bodies {@link refundAlreadyCounted} reads (so retention keeps them whole). */
export const refundEvents = ['refunded', 'auto_refunded'] as const;

/**
 * Whether a refund of `refundHalalas` was already counted for the Points order `uuid`: a processed
 * `refunded` or `auto_refunded` receipt with the same `refund_amount`. Its timestamp is no part of a
 * refund: anyone holding the webhook secret can re-stamp a body, and each new `updated_at` is a new
 * dedupe key. Call it with the order row locked, so two copies in flight cannot both be counted.
 */
export async function refundAlreadyCounted(
  trx: Transaction<Database>,
  uuid: string,
  refundHalalas: number,
): Promise<boolean> {
  const receipts = await trx
    .selectFrom('webhook_receipts')
    .select('raw_body')
    .where('source', '=', 'points')
    .where('points_order_id', '=', uuid.toLowerCase())
    .where('event', 'in', refundEvents)
    .where('status', '=', 'processed')
    .execute();
  return receipts.some((receipt) => {
    const body = refundBodySchema.safeParse(JSON.parse(receipt.raw_body));
    return body.success && pointsAmountToHalalas(body.data.order.refund_amount) === refundHalalas;
  });
}
