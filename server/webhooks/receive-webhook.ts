import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EdgeContext } from '../edge-context.ts';
import { problem } from '../http/problem.ts';
import { enqueue } from '../jobs/queue.ts';
import {
  orderEventNames,
  parsePointsWebhook,
  pointsWebhookDedupeKey,
  type PointsOrderWebhook,
  type PointsWebhookResult,
} from '../points/webhook.ts';

/** Order events are processed; merchant balance events and unknown events are stored as ignored. */
function isOrderWebhook(result: PointsWebhookResult): result is PointsOrderWebhook {
  return result.ok && (orderEventNames as string[]).includes(result.event);
}

/** Largest webhook body accepted; Points' payloads are a few KB. */
export const webhookBodyLimitBytes = 64 * 1024;
/** The job that processes a stored receipt. */
export const receiptJob = { lane: 'webhooks', kind: 'process-receipt' } as const;

/** Counters the route keeps for `/metrics` and alerts. */
export interface WebhookIntakeStats {
  accepted: number;
  duplicates: number;
  badSecret: number;
  malformed: number;
  ignored: number;
  storageFailures: number;
}

/**
 * `POST /webhooks/points`: checks the shared secret in constant time (current and previous), keeps the
 * raw body, and stores the receipt and its processing job in one transaction before answering 200.
 * A duplicate delivery answers 200 and changes nothing; a failed commit answers 503 so Points retries.
 */
export function webhookRoutes(ctx: EdgeContext, stats: WebhookIntakeStats): Hono {
  const app = new Hono();

  app.post(
    '/webhooks/points',
    bodyLimit({
      maxSize: webhookBodyLimitBytes,
      onError: (c) =>
        problem(c, 413, 'payload_too_large', `Webhook bodies are limited to ${webhookBodyLimitBytes} bytes.`),
    }),
    async (c) => {
      const rawBody = await c.req.text();
      const result = parsePointsWebhook({
        rawBody,
        headers: c.req.raw.headers,
        secrets: ctx.config.webhookSecrets,
      });
      const now = ctx.now();

      if (!result.ok && result.reason === 'bad_secret') {
        stats.badSecret++;
        ctx.logger.warn({ alert: 'webhook_verification_failed', detail: result.detail }, 'webhook refused');
        return problem(c, 401, 'unauthorized', 'Webhook secret missing or wrong.');
      }

      const receipt = {
        id: crypto.randomUUID(),
        raw_body: rawBody,
        received_at: now,
        processed_at: null,
        error: null,
      };
      try {
        if (!result.ok) {
          stats.malformed++;
          // Authenticated but unreadable: keep it for audit, answer 400 (Points' retry would not fix it).
          await ctx.store.db
            .insertInto('webhook_receipts')
            .values({
              ...receipt,
              dedupe_key: null,
              event: '(malformed)',
              points_order_id: null,
              status: 'malformed',
              error: result.detail,
            })
            .execute();
          ctx.logger.warn({ reason: result.reason, detail: result.detail }, 'malformed webhook stored');
          return problem(
            c,
            400,
            result.reason === 'malformed_json' ? 'invalid_json' : 'validation_failed',
            result.detail,
          );
        }

        const dedupeKey = pointsWebhookDedupeKey(result);
        const orderWebhook = isOrderWebhook(result) ? result : undefined;
        const known = orderWebhook !== undefined;
        const orderId = orderWebhook ? orderWebhook.payload.order.id.toLowerCase() : null;
        const event = result.event === 'unknown' ? result.name : result.event;

        const inserted = await ctx.store.db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('webhook_receipts')
            .values({
              ...receipt,
              dedupe_key: dedupeKey,
              event,
              points_order_id: orderId,
              status: known ? 'received' : 'ignored',
            })
            .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
            .returning('id')
            .executeTakeFirst();
          if (row && known) await enqueue(trx, { ...receiptJob, payload: { receiptId: receipt.id } }, now);
          return row !== undefined;
        });

        if (!inserted) {
          stats.duplicates++;
          return c.json({ received: true, duplicate: true });
        }
        if (known) {
          stats.accepted++;
          ctx.wakeWorker();
        } else {
          stats.ignored++;
          ctx.logger.warn({ event }, 'webhook event not handled by this version; stored as ignored');
        }
        return c.json({ received: true });
      } catch (error) {
        stats.storageFailures++;
        ctx.logger.error({ err: error, alert: 'webhook_storage_failed' }, 'could not store webhook receipt');
        return problem(c, 503, 'storage_unavailable', 'Could not store the webhook; please retry.');
      }
    },
  );

  return app;
}
