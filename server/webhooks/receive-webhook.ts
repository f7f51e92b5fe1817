import { Hono } from 'hono';
import { bodyAborted, bodyLimit, readBodyText } from '../http/body-limit.ts';
import type { EdgeContext } from '../edge-context.ts';
import { problem, ProblemError } from '../http/problem.ts';
import { createReceiptWriter, receiptJob } from './receipt-writer.ts';
import { timeOrderedId } from '../store/time-ordered-id.ts';
import {
  orderEventNames,
  parseVerifiedWebhook,
  pointsWebhookDedupeKey,
  verifyWebhookSecret,
  type PointsOrderWebhook,
  type PointsWebhookResult,
} from '../points/webhook.ts';

/** Order events are processed; merchant balance events and unknown events are stored as ignored. */
function isOrderWebhook(result: PointsWebhookResult): result is PointsOrderWebhook {
  return result.ok && (orderEventNames as string[]).includes(result.event);
}

/** Largest webhook body accepted; Points' payloads are a few KB. */
export const webhookBodyLimitBytes = 64 * 1024;
export { receiptJob } from './receipt-writer.ts';

/** Counters the route keeps for `/metrics` and alerts. */
export interface WebhookIntakeStats {
  accepted: number;
  duplicates: number;
  badSecret: number;
  malformed: number;
  ignored: number;
  storageFailures: number;
}

/** The route's context: the index of the secret the header check accepted, for the handler that reads the body. */
type WebhookEnv = { Variables: { secretIndex: number } };

/**
 * `POST /webhooks/points`: checks the shared secret in constant time (current and previous), keeps the
 * raw body, and stores the receipt and its processing job in one transaction before answering 200.
 * A duplicate delivery answers 200 and changes nothing; a failed commit answers 503 so Points retries.
 */
export function webhookRoutes(ctx: EdgeContext, stats: WebhookIntakeStats): Hono<WebhookEnv> {
  const app = new Hono<WebhookEnv>();
  const writer = createReceiptWriter(ctx.store);

  app.post(
    '/webhooks/points',
    // The secret first, from the headers alone: no body is read (or counted) for a caller without it.
    async (c, next) => {
      const secret = verifyWebhookSecret(c.req.raw.headers, ctx.config.webhookSecrets);
      if (secret.ok) {
        c.set('secretIndex', secret.secretIndex);
        return next();
      }
      stats.badSecret++;
      ctx.logger.error({ alert: 'webhook_verification_failed', detail: secret.detail }, 'webhook refused');
      throw new ProblemError('unauthorized', 'Webhook secret missing or wrong.');
    },
    bodyLimit({
      maxSize: webhookBodyLimitBytes,
      onError: (c) =>
        problem(c, 'payload_too_large', `Webhook bodies are limited to ${webhookBodyLimitBytes} bytes.`),
    }),
    async (c) => {
      const startedAt = performance.now();
      const rawBody = await readBodyText(c);
      if (rawBody === undefined) return bodyAborted(c);
      const result = parseVerifiedWebhook(rawBody, c.req.raw.headers, c.get('secretIndex'));
      const now = ctx.now();

      const receipt = {
        id: timeOrderedId(now),
        raw_body: rawBody,
        received_at: now,
        processed_at: null,
        error: null,
      };
      try {
        if (!result.ok) {
          stats.malformed++;
          // Authenticated but unreadable: keep it for audit (NUL bytes replaced: Postgres text cannot hold
          // them), answer 400 (Points' retry would not fix it).
          await writer.write({
            row: {
              ...receipt,
              raw_body: rawBody.replaceAll('\u0000', '\uFFFD'),
              dedupe_key: null,
              event: '(malformed)',
              points_order_id: null,
              status: 'malformed',
              error: result.detail,
            },
            job: undefined,
            startedAt,
          });
          ctx.logger.warn({ reason: result.reason, detail: result.detail }, 'malformed webhook stored');
          // Returned, not thrown: inside this try a throw means the store failed.
          return problem(
            c,
            result.reason === 'malformed_json' ? 'invalid_json' : 'validation_failed',
            result.detail,
          );
        }

        const orderWebhook = isOrderWebhook(result) ? result : undefined;
        const known = orderWebhook !== undefined;
        const event = result.event === 'unknown' ? result.name : result.event;
        const inserted = await writer.write({
          row: {
            ...receipt,
            dedupe_key: await pointsWebhookDedupeKey(result),
            event,
            points_order_id: orderWebhook ? orderWebhook.payload.order.id.toLowerCase() : null,
            status: known ? 'received' : 'ignored',
          },
          job: known ? receiptJob : undefined,
          startedAt,
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
        throw new ProblemError('storage_unavailable', 'Could not store the webhook; please retry.');
      }
    },
  );

  return app;
}
