import type { Store } from '../store/db.ts';
import { timeOrderedId } from '../store/time-ordered-id.ts';
import { createReceiptWriter } from '../webhooks/receipt-writer.ts';
import { connectorOrderKey, connectorReviewKey, type ParsedDelivery, type PlatformId } from './connector.ts';
import {
  connectorDeliveryJob,
  connectorMaxAttempts,
  type ConnectorDeliveryPayload,
} from './process-delivery.ts';

/** What became of a delivery handed to the store. */
export type StoredDelivery = 'stored' | 'duplicate' | 'ignored';

/** The subject key and job payload of a delivery that earning acts on; none for an ignored one. */
function jobOf(
  platform: PlatformId,
  parsed: ParsedDelivery,
): Omit<ConnectorDeliveryPayload, 'receiptId'> | undefined {
  if (parsed.type === 'order') {
    const key = connectorOrderKey(platform, parsed.order.storeId, parsed.order.orderId);
    return { platform, key, subject: { kind: 'order', facts: parsed.order } };
  }
  if (parsed.type === 'review') {
    const key = connectorReviewKey(platform, parsed.review.storeId, parsed.review.reviewId);
    return { platform, key, subject: { kind: 'review', facts: parsed.review } };
  }
  return undefined;
}

/**
 * Stores connector deliveries durably: the receipt (raw body kept) and its processing job in one
 * transaction, through the receipt writer Points' webhooks use, deduplicated by the delivery's key. Used
 * by webhook intake and by the catch-up sweep, so a delivery and an order read back from the platform's
 * API take the same path.
 *
 * `startedAt` (`performance.now()` when the intake began) times the intake in the receipt's `intake_ms`;
 * the catch-up sweep has no delivery to answer and passes none.
 *
 * @example
 * const outcome = await deliveries.store('shopify', parsed, rawText, Date.now()); // 'stored' | 'duplicate' | …
 */
export function createDeliveryStore(store: Store) {
  const writer = createReceiptWriter(store);
  return {
    async store(
      platform: PlatformId,
      parsed: Exclude<ParsedDelivery, { type: 'invalid' }>,
      text: string,
      now: number,
      startedAt?: number,
    ): Promise<StoredDelivery> {
      const job = jobOf(platform, parsed);
      const stored = await writer.write({
        row: {
          id: timeOrderedId(now),
          source: platform,
          subject: job?.key ?? null,
          dedupe_key: parsed.dedupeKey,
          event: parsed.event,
          points_order_id: null,
          // An event we do not use is kept as a line, not its body: some carry what we must not hold
          // (Salla's app.store.authorize has the store's OAuth tokens).
          raw_body: job ? text.replaceAll('\u0000', '\uFFFD') : '(body not kept: event not used)',
          status: job ? 'received' : 'ignored',
          error: parsed.type === 'ignored' ? parsed.reason : null,
          received_at: now,
          processed_at: null,
        },
        job: job
          ? { ...connectorDeliveryJob, payload: { ...job }, maxAttempts: connectorMaxAttempts }
          : undefined,
        ...(startedAt === undefined ? {} : { startedAt }),
      });
      if (!stored) return 'duplicate';
      return job ? 'stored' : 'ignored';
    },
  };
}
