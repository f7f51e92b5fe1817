import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createEdgeApp } from './app.ts';
import type { Config } from './config.ts';
import type { EdgeContext, OrderUpdatedEvent, PointsGateway, ResolveOrder } from './edge-context.ts';
import { notifyJob, notifyMerchantJob, notifyRetryDelayMs } from './jobs/notify-merchant.ts';
import { processReceiptJob } from './jobs/process-receipt.ts';
import { backoffMs, type Job } from './jobs/queue.ts';
import { createWorker, type Worker } from './jobs/worker.ts';
import { createLogger } from './observability/logger.ts';
import { loadCatalog } from './orders/catalog.ts';
import { createPointsClient, type FetchLike } from './points/client.ts';
import { loadWidgetBundle } from './routes/widget-bundle.ts';
import type { Store } from './store/db.ts';
import { receiptJob, type WebhookIntakeStats } from './webhooks/receive-webhook.ts';

/** Options for {@link createEdge}. */
export interface EdgeOptions {
  config: Config;
  store: Store;
  /** Default: a Points client built from the configuration. */
  points?: PointsGateway;
  /** Transport for the default Points client (tests run the sandbox in-process with it). */
  pointsFetch?: FetchLike;
  logger?: Logger;
  now?: () => number;
  resolveOrder?: ResolveOrder;
  onOrderUpdated?: (event: OrderUpdatedEvent) => void | Promise<void>;
  /** Folder of the built widgets; default `dist/widgets` of this package. */
  widgetsDir?: string;
  checkoutSessionTtlMs?: number;
  /** Transport for outbound merchant webhooks. */
  merchantFetch?: typeof fetch;
  /** Worker poll interval; default 1 s. */
  pollMs?: number;
}

/** A running edge server's parts. */
export interface Edge {
  app: Hono;
  context: EdgeContext;
  worker: Worker;
  webhookStats: WebhookIntakeStats;
}

/** Backoff per job kind: webhook processing retries fast; merchant notifications back off to an hour. */
function retryDelayMs(job: Job): number {
  if (job.kind === notifyJob.kind) return notifyRetryDelayMs(job.attempts);
  return backoffMs(job.attempts, 1_000, 300_000);
}

/**
 * Builds the edge server: context, HTTP app and job worker (not started). Reads the catalog and the
 * widget bundle once.
 *
 * @example
 * const edge = await createEdge({ config, store });
 * edge.worker.start();
 * serve({ fetch: edge.app.fetch, port: config.port });
 */
export async function createEdge(options: EdgeOptions): Promise<Edge> {
  const { config, store } = options;
  const logger =
    options.logger ??
    createLogger({
      secrets: [
        config.points.privateKey,
        ...config.webhookSecrets,
        ...[config.orderTokenSecret, config.adminToken, config.merchantWebhook?.secret].filter(
          (value): value is string => Boolean(value),
        ),
      ],
    });
  const points =
    options.points ??
    createPointsClient({
      baseUrl: config.points.baseUrl,
      publicKey: config.points.publicKey,
      privateKey: config.points.privateKey,
      ...(options.pointsFetch ? { fetch: options.pointsFetch } : {}),
    });
  const catalog = config.catalogFile ? await loadCatalog(config.catalogFile) : undefined;
  const widgets = await loadWidgetBundle(
    options.widgetsDir ?? fileURLToPath(new URL('../dist/widgets', import.meta.url)),
  );

  const context: EdgeContext = {
    config,
    store,
    points,
    logger,
    now: options.now ?? Date.now,
    resolveOrder: options.resolveOrder,
    catalog,
    statusKey: createHmac('sha256', config.points.privateKey)
      .update('points-kit:status-token-key:v1')
      .digest('hex'),
    checkoutSessionTtlMs: options.checkoutSessionTtlMs ?? 30 * 60 * 1000,
    // The worker is created just below; the context only calls this after start-up.
    wakeWorker: () => worker.wake(),
    onOrderUpdated: options.onOrderUpdated,
  };
  const worker: Worker = createWorker({
    store,
    lanes: [receiptJob.lane, notifyJob.lane],
    handlers: {
      [receiptJob.kind]: processReceiptJob(context),
      [notifyJob.kind]: notifyMerchantJob(context, options.merchantFetch),
    },
    now: context.now,
    retryDelayMs,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onOutcome: (job, outcome, error) => {
      if (outcome === 'dead') {
        logger.error(
          { alert: 'dead_letter', jobId: job.id, kind: job.kind, err: error },
          'job dead-lettered',
        );
      } else if (outcome === 'retry') {
        logger.warn(
          { jobId: job.id, kind: job.kind, attempt: job.attempts, err: error },
          'job failed; will retry',
        );
      }
    },
    onClaimError: (error) => logger.error({ err: error }, 'could not claim jobs'),
  });

  const webhookStats: WebhookIntakeStats = {
    accepted: 0,
    duplicates: 0,
    badSecret: 0,
    malformed: 0,
    ignored: 0,
    storageFailures: 0,
  };
  const app = createEdgeApp(context, { widgets, webhookStats });
  return { app, context, worker, webhookStats };
}
