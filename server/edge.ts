import type { Hono } from 'hono';
import type { Logger } from './observability/log-line.ts';
import { createOperations, type Operations } from './admin/operations.ts';
import type { Config } from './config.ts';
import type { EdgeContext, OrderUpdatedEvent, ResolveOrder } from './edge-context.ts';
import {
  createApp,
  createContext,
  createEdgeScheduler,
  createJobWorker,
  createObservability,
  createPointsClients,
  loadEdgeFiles,
  secretReloader,
} from './edge-parts.ts';
import type { Worker } from './jobs/worker.ts';
import type { Alerts } from './observability/alerts.ts';
import type { Metrics } from './observability/metrics.ts';
import { createEarningLane, type EarningLane } from './earning/earning-lane.ts';
import type { FetchLike } from './points/client.ts';
import type { Scheduler } from './reconcile/schedule.ts';
import type { RuntimePorts } from './runtime/ports.ts';
import type { Store } from './store/db.ts';
import type { WebhookIntakeStats } from './webhooks/receive-webhook.ts';

/** Options for {@link createEdge}. */
export interface EdgeOptions {
  config: Config;
  store: Store;
  /** What the runtime gives: widget files, files the configuration names, connection addresses, metrics. */
  ports: RuntimePorts;
  /**
   * Transport of every Points client the edge builds from the configuration: routes, jobs, operations,
   * reconciliation and the earning lane all go through it (tests run the sandbox in-process with it).
   */
  pointsFetch?: FetchLike;
  /** How those clients wait between retries (tests on a fake clock pass an instant one). */
  pointsSleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger?: Logger;
  now?: () => number;
  resolveOrder?: ResolveOrder;
  onOrderUpdated?: (event: OrderUpdatedEvent) => void | Promise<void>;
  checkoutSessionTtlMs?: number;
  /** How long a checkout waits for a concurrent one of the same order; default 10 s. */
  checkoutWaitMs?: number;
  /** Transport for outbound merchant webhooks. */
  merchantFetch?: typeof fetch;
  /**
   * How the job worker hears of a new job; default its own `wake()`, which runs it now in the background.
   * A Worker instead drains after its response, inside `waitUntil` (`runtime/workers/worker.ts`).
   */
  wakeWorker?: () => void;
  /** Worker poll interval; default 1 s. */
  pollMs?: number;
  /** This instance's name in leases (earning lane, schedules); default a random id. */
  instanceId?: string;
  /** Reconciliation periods; default a sweep every 5 minutes and a full pass every 24 hours. */
  reconcileEveryMs?: { sweep: number; full: number };
  /** Overrides `ALERT_WEBHOOK_URL` from the configuration. */
  alertWebhookUrl?: string | undefined;
  /** Transport for alert POSTs. */
  alertFetch?: typeof fetch;
  /** Transport of the connectors' catch-up reads of platform APIs (WooCommerce REST). */
  platformFetch?: typeof fetch;
  /**
   * How many more D1 queries and fetches this invocation may send (a Worker's limit); reconciliation stops
   * before an order it could not finish. Default: no limit.
   */
  subrequestsLeft?: () => number;
}

/** A running edge server's parts. */
export interface Edge {
  app: Hono;
  context: EdgeContext;
  worker: Worker;
  webhookStats: WebhookIntakeStats;
  /** Support operations (admin API and CLI). */
  operations: Operations;
  earning: EarningLane;
  /** Reconciliation schedules (started by `startEdge`). */
  scheduler: Scheduler;
  metrics: Metrics;
  alerts: Alerts;
  /**
   * Key rotation without a restart: re-reads the keys, webhook secrets and console operators (a changed
   * `*_FILE` included) and swaps them in; a changed or removed operator's console sessions end. Status tokens keep their original key, so links already sent stay valid.
   * Returns what changed (names only).
   */
  reloadSecrets(next: Config): string[];
}

/**
 * Builds the edge server: context, HTTP app and job worker (not started). Reads the catalog and the
 * widget bundle once, through the runtime's ports. Portable: on Node, `runtime/node/edge.ts` passes
 * the Node ports.
 *
 * @example
 * const edge = await createEdge({ config, store, ports: nodePorts() });
 * edge.worker.start();
 * serve({ fetch: edge.app.fetch, port: config.port });
 */
export async function createEdge(options: EdgeOptions): Promise<Edge> {
  const { config, store } = options;
  const now = options.now ?? Date.now;
  const observability = createObservability(options, now);
  const { logger, metrics, alerts, webhookStats } = observability;
  const clients = createPointsClients(options, metrics, alerts);
  const { points } = clients;
  const instanceId = options.instanceId ?? `instance-${crypto.randomUUID()}`;
  const { catalog, widgets } = await loadEdgeFiles(options);
  // The worker is created below; the context only calls `wakeWorker` after start-up.
  const wakeWorker = options.wakeWorker ?? (() => worker.wake());
  const context = await createContext(options, { logger, now, points, catalog, wakeWorker });
  const earning = createEarningLane({
    store,
    points: clients.earning,
    holder: instanceId,
    now: context.now,
    onRateLimited: () => metrics.earningRateLimited(),
  });
  const worker = createJobWorker(options, context, { earning, points, metrics, alerts });
  const operations = createOperations({
    ctx: context,
    points,
    earning,
    onReconciled: (report) => metrics.reconciled(report.mode, report.drift),
    platformFetch: options.platformFetch,
  });
  const scheduler = createEdgeScheduler(options, context, {
    holder: instanceId,
    points,
    earning,
    operations,
    metrics,
    alerts,
  });
  const app = createApp(options, context, { widgets, observability, operations });
  const reloadSecrets = secretReloader(config, logger, clients);
  return {
    app,
    context,
    worker,
    webhookStats,
    operations,
    earning,
    scheduler,
    metrics,
    alerts,
    reloadSecrets,
  };
}
