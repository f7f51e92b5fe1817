import { z } from 'zod';
import { backoffMs } from '../shared/backoff.ts';
import type { EdgeContext } from '../edge-context.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { withExclusive } from '../store/exclusive.ts';
import type { OrderFacts, PlatformId, ReviewFacts } from './connector.ts';
import { recordDelivery } from './connector-orders.ts';
import { platformIds } from './registry.ts';
import { settleConnectorOrder, type SettleDependencies } from './settle-order.ts';

/** The job that processes a stored connector delivery. */
export const connectorDeliveryJob = { lane: 'connectors', kind: 'process-connector-delivery' } as const;

/**
 * Attempts before a connector delivery is dead-lettered: with {@link connectorRetryDelayMs}, about nine
 * hours, so a Points outage of an afternoon loses nothing (the platforms do not resend what we took).
 */
export const connectorMaxAttempts = 40;

/** 1 s doubling to 15 min. */
export const connectorRetryDelayMs = (attempt: number): number => backoffMs(attempt, 1_000, 900_000);

/** What intake puts in the job: the receipt, and the facts its connector read from it. */
export interface ConnectorDeliveryPayload {
  receiptId: string;
  platform: PlatformId;
  key: string;
  subject: { kind: 'order'; facts: OrderFacts } | { kind: 'review'; facts: ReviewFacts };
}

const payloadSchema = z.object({
  receiptId: z.string(),
  platform: z.enum(platformIds),
  key: z.string().min(1),
  subject: z.object({ kind: z.enum(['order', 'review']), facts: z.looseObject({ storeId: z.string() }) }),
});

/** The exclusive lease of one connector order: its deliveries are merged and settled one at a time. */
export const connectorOrderLease = (key: string) => `connector:${key}`;

/**
 * Processes one stored connector delivery: merges its facts into the connector order and marks the
 * receipt processed (one transaction), then settles the order at Points. Both steps run under the order's
 * exclusive lease. A retry after a failed settle finds the receipt processed and only settles again, which
 * is safe: settling acts only on what Points does not hold yet.
 */
export function processConnectorDeliveryJob(ctx: EdgeContext, deps: SettleDependencies): JobHandler {
  return async function processConnectorDelivery(payload) {
    // The payload was written by intake from the connector's own output; the schema guards its frame.
    const { receiptId, platform, key, subject } = payloadSchema.parse(
      payload,
    ) as unknown as ConnectorDeliveryPayload;
    const connector = ctx.config.connectors.find((active) => active.id === platform);
    await withExclusive(
      ctx.store,
      connectorOrderLease(key),
      async () => {
        await ctx.store.db.transaction().execute(async (trx) => {
          const receipt = await trx
            .selectFrom('webhook_receipts')
            .select('status')
            .where('id', '=', receiptId)
            .executeTakeFirst();
          if (receipt?.status !== 'received') return;
          await recordDelivery(trx, { platform, key, ...subject }, ctx.now());
          await trx
            .updateTable('webhook_receipts')
            .set({ status: 'processed', processed_at: ctx.now() })
            .where('id', '=', receiptId)
            .execute();
        });
        // A connector turned off since: its facts are kept, and settle when it is back on (replay).
        if (connector) await settleConnectorOrder(ctx, deps, key, connector.earnOn);
      },
      { now: ctx.now },
    );
  };
}
