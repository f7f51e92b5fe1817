import type { EdgeContext } from '../edge-context.ts';
import type { PlatformId } from './connector.ts';
import { createDeliveryStore } from './store-delivery.ts';

/** Where a platform's first catch-up starts: orders changed in the last three days. */
export const firstCatchUpWindowMs = 3 * 24 * 3600_000;

/** What one catch-up pass read and stored, per platform. */
export interface CatchUpReport {
  platform: PlatformId;
  read: number;
  /** Orders whose state was new to us (the others were duplicates of deliveries we had). */
  stored: number;
  /** Why the platform could not be read, when it could not. */
  error?: string;
}

const cursorName = (platform: PlatformId) => `catch-up:${platform}`;

/**
 * Reads, for every connector that can (WooCommerce with REST keys), the orders changed since the last
 * pass, and hands each to the same delivery store as webhook intake: an order state we already had is a
 * duplicate and changes nothing; one a lost delivery left out is stored and settled by the job queue.
 * The cursor moves only after every order read is stored, so a failed pass is read again.
 *
 * @example
 * const reports = await catchUpConnectors(ctx, fetch); // [{ platform: 'woocommerce', read: 12, stored: 1 }]
 */
export async function catchUpConnectors(
  ctx: EdgeContext,
  fetch: typeof globalThis.fetch = globalThis.fetch,
): Promise<CatchUpReport[]> {
  const deliveries = createDeliveryStore(ctx.store);
  const reports: CatchUpReport[] = [];
  for (const connector of ctx.config.connectors) {
    if (!connector.catchUp) continue;
    const cursor = await ctx.store.db
      .selectFrom('connector_cursors')
      .select('position')
      .where('name', '=', cursorName(connector.id))
      .executeTakeFirst();
    const since = cursor ? Number(cursor.position) : ctx.now() - firstCatchUpWindowMs;
    const report: CatchUpReport = { platform: connector.id, read: 0, stored: 0 };
    reports.push(report);
    try {
      const read = await connector.catchUp(since, fetch);
      if (!read) continue;
      for (const { parsed, text } of read.deliveries) {
        report.read += 1;
        if (parsed.type === 'invalid') continue;
        if ((await deliveries.store(connector.id, parsed, text, ctx.now())) === 'stored') report.stored += 1;
      }
      const position = Math.max(since, read.newest);
      await ctx.store.db
        .insertInto('connector_cursors')
        .values({ name: cursorName(connector.id), position, updated_at: ctx.now() })
        .onConflict((conflict) => conflict.column('name').doUpdateSet({ position, updated_at: ctx.now() }))
        .execute();
    } catch (error) {
      report.error = error instanceof Error ? error.message : String(error);
      ctx.logger.warn(
        { platform: connector.id, err: error },
        'connector catch-up failed; next pass reads again',
      );
    }
    if (report.stored > 0) ctx.wakeWorker();
  }
  return reports;
}
