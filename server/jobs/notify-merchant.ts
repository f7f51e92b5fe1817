import type { Transaction } from 'kysely';
import type { EdgeContext, OrderUpdatedEvent } from '../edge-context.ts';
import { signStandardWebhook } from '../notify/standard-webhooks.ts';
import { backoffAtLeastMs } from '../shared/backoff.ts';
import type { Database } from '../store/schema.ts';
import { enqueue, type Job } from './queue.ts';
import type { JobHandler } from './worker.ts';

/** The job kind and lane of outbound merchant notifications. */
export const notifyJob = { lane: 'notify', kind: 'notify-merchant' } as const;
/** Attempts of an outbound notification: with {@link notifyRetryDelayMs}, 25 to 28 hours of retries. */
export const notifyMaxAttempts = 32;

/**
 * Delay before retrying a notification after `attempt` failures: 30 s doubling to a 1 h cap, plus up to
 * 10 % jitter on top (never less, so the day of retries promised to merchants is really a day).
 */
export function notifyRetryDelayMs(attempt: number, random = Math.random): number {
  return backoffAtLeastMs(attempt, 30_000, 3_600_000, random);
}

/**
 * Queues the outbound notification of an order change, in the transaction that made the change; nothing
 * without `MERCHANT_WEBHOOK_URL`. Orders reach it through `EdgeContext.enqueueNotification`.
 */
export async function enqueueMerchantNotification(
  ctx: Pick<EdgeContext, 'config' | 'now'>,
  trx: Transaction<Database>,
  event: OrderUpdatedEvent,
): Promise<void> {
  if (!ctx.config.merchantWebhook) return;
  await enqueue(trx, { ...notifyJob, payload: event, maxAttempts: notifyMaxAttempts }, ctx.now());
}

/** Per-attempt timeout of an outbound notification. */
const timeoutMs = 10_000;

/**
 * Posts an order update to `MERCHANT_WEBHOOK_URL`, signed with Standard Webhooks headers. The job id is
 * the `webhook-id`, so a retried notification carries the same id and the merchant can dedupe on it.
 * Any non-2xx answer throws, and the queue retries (backoff capped at 1 h, ~24 h in all) before
 * dead-lettering; `points-edge deliveries replay` sends a dead letter again.
 */
export function notifyMerchantJob(ctx: EdgeContext, fetchImpl: typeof fetch = fetch): JobHandler {
  return async function notifyMerchant(payload: unknown, job: Job) {
    const target = ctx.config.merchantWebhook;
    if (!target) return;
    const event = payload as OrderUpdatedEvent;
    const timestamp = Math.floor(ctx.now() / 1000);
    const body = JSON.stringify({
      type: 'order.updated',
      timestamp: new Date(timestamp * 1000).toISOString(),
      data: event,
    });
    const response = await fetchImpl(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await signStandardWebhook(target.secret, job.id, timestamp, body)),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`merchant webhook answered ${response.status}`);
  };
}
