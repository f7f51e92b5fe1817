import type { Hono } from 'hono';
import type { Logger } from './observability/log-line.ts';
import { createOperations, type Operations } from './admin/operations.ts';
import { createEdgeApp } from './app.ts';
import type { Config } from './config.ts';
import type { EdgeContext, OrderUpdatedEvent, ResolveOrder } from './edge-context.ts';
import { enqueueMerchantNotification } from './jobs/notify-merchant.ts';
import { jobHandlers, jobLanes, jobRetryDelayMs } from './jobs/registry.ts';
import { watchLanes } from './jobs/watch-lanes.ts';
import { createWorker, type Worker } from './jobs/worker.ts';
import { createAlerts, type Alerts } from './observability/alerts.ts';
import { scrubSecrets } from './observability/log-line.ts';
import type { Metrics } from './observability/metrics.ts';
import { createEarningLane, type EarningLane } from './earning/earning-lane.ts';
import { loadCatalog } from './orders/catalog.ts';
import { statusTokenKey } from './orders/status-token-key.ts';
import { createPointsClient, type FetchLike, type PointsClient } from './points/client.ts';
import { reconcileOrders } from './reconcile/reconcile.ts';
import { createScheduler, type Scheduler } from './reconcile/schedule.ts';
import type { RuntimePorts } from './runtime/ports.ts';
import type { Store } from './store/db.ts';
import type { WebhookIntakeStats } from './webhooks/receive-webhook.ts';
import type { ConnectorIntakeStats } from './connectors/intake-route.ts';

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
   * Key rotation without a restart: re-reads the keys and webhook secrets (a changed `*_FILE` included)
   * and swaps them in. Status tokens keep their original key, so links already sent stay valid.
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
  const { config, store, ports } = options;
  const logger =
    options.logger ??
    ports.createLogger({
      secrets: [
        config.points.privateKey,
        ...config.webhookSecrets,
        ...[config.orderTokenSecret, config.adminToken, config.merchantWebhook?.secret].filter(
          (value): value is string => Boolean(value),
        ),
        ...config.connectors.flatMap((connector) => connector.secrets),
      ],
    });
  // An object type (not the interface) so that metrics can read it as counts by outcome.
  const webhookStats = {
    accepted: 0,
    duplicates: 0,
    badSecret: 0,
    malformed: 0,
    ignored: 0,
    storageFailures: 0,
  } satisfies WebhookIntakeStats;
  const connectorStats: ConnectorIntakeStats = {};
  const now = options.now ?? Date.now;
  const metrics = ports.createMetrics({ store, webhookStats, connectorStats, now });
  const alerts = createAlerts({
    logger,
    now,
    url: options.alertWebhookUrl ?? config.alertWebhookUrl,
    ...(options.alertFetch ? { fetch: options.alertFetch } : {}),
  });
  const spikes: Record<number, 'points_400' | 'points_403' | 'points_422' | 'points_429'> = {
    400: 'points_400',
    403: 'points_403',
    422: 'points_422',
    429: 'points_429',
  };
  /** A client whose calls always go to the latest build (the private key can be rotated). */
  const swappable = (build: () => PointsClient) => {
    let current = build();
    const client = new Proxy({} as PointsClient, {
      get: (_target, name) => current[name as keyof PointsClient],
    });
    return { client, rebuild: () => void (current = build()) };
  };
  const pointsClient = (retries?: number): PointsClient =>
    createPointsClient({
      onResponse: (info) => {
        metrics.observePoints(info);
        const spike = spikes[info.status];
        if (spike) alerts.record(spike, { route: info.path });
      },
      baseUrl: config.points.baseUrl,
      publicKey: config.points.publicKey,
      privateKey: config.points.privateKey,
      ...(retries !== undefined ? { retries } : {}),
      ...(options.pointsFetch ? { fetch: options.pointsFetch } : {}),
      ...(options.pointsSleep ? { sleep: options.pointsSleep } : {}),
    });
  const full = swappable(() => pointsClient());
  const points = full.client;
  const instanceId = options.instanceId ?? `instance-${crypto.randomUUID()}`;
  const catalog = config.catalogFile ? await loadCatalog(config.catalogFile, ports.readTextFile) : undefined;
  const widgets = await ports.loadWidgets();

  const context: EdgeContext = {
    config,
    store,
    points,
    logger,
    now,
    resolveOrder: options.resolveOrder,
    catalog,
    statusKey: await statusTokenKey(store, config.points.privateKey, now()),
    checkoutSessionTtlMs: options.checkoutSessionTtlMs ?? 30 * 60 * 1000,
    enqueueNotification: (trx, event) => enqueueMerchantNotification({ config, now }, trx, event),
    checkoutWaitMs: options.checkoutWaitMs ?? 10_000,
    // The worker is created just below; the context only calls this after start-up.
    wakeWorker: options.wakeWorker ?? (() => worker.wake()),
    onOrderUpdated: options.onOrderUpdated,
  };
  // The earning lane owns 429 handling (it releases its lease while waiting), so its client never retries.
  const earningClient = swappable(() => pointsClient(0));
  const earning = createEarningLane({
    store,
    points: earningClient.client,
    holder: instanceId,
    now: context.now,
    onRateLimited: () => metrics.earningRateLimited(),
  });
  const worker: Worker = createWorker({
    store,
    lanes: jobLanes,
    handlers: jobHandlers(context, {
      merchantFetch: options.merchantFetch,
      connectors: { earning, points },
    }),
    now: context.now,
    retryDelayMs: jobRetryDelayMs,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onOutcome: (job, outcome, error) => {
      if (outcome === 'dead') {
        metrics.deadLettered(job.kind);
        alerts.record('dead_letter', { kind: job.kind });
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

  const operations = createOperations({
    ctx: context,
    points,
    earning,
    onReconciled: (report) => metrics.reconciled(report.mode, report.drift),
    platformFetch: options.platformFetch,
  });
  const reconcile = async (full: boolean) => {
    const report = await reconcileOrders(context, points, { full });
    metrics.reconciled(report.mode, report.drift);
  };
  const everyMs = options.reconcileEveryMs ?? { sweep: 5 * 60_000, full: 24 * 3600_000 };
  const scheduler = createScheduler({
    store,
    logger,
    holder: instanceId,
    now: context.now,
    tickMs: Math.min(30_000, everyMs.sweep),
    tasks: [
      { name: 'reconcile-sweep', everyMs: everyMs.sweep, run: () => reconcile(false) },
      { name: 'reconcile-full', everyMs: everyMs.full, run: () => reconcile(true) },
      { name: 'watch-lanes', everyMs: 60_000, run: () => watchLanes(store, now, alerts) },
      { name: 'earning-retry', everyMs: everyMs.sweep, run: () => earning.retryStale(60_000) },
      ...(config.connectors.some((connector) => connector.catchUp)
        ? [{ name: 'connector-catch-up', everyMs: everyMs.sweep, run: () => operations.sweepConnectors() }]
        : []),
    ],
  });
  const app = createEdgeApp(context, {
    widgets,
    webhookStats,
    connectorStats,
    operations,
    metrics,
    connectionAddress: ports.connectionAddress,
    consoleAssets: ports.loadConsole,
    onHttpResponse: (info) => {
      metrics.observeHttp(info);
      if (info.route.startsWith('/connectors/') && info.status >= 500) {
        alerts.record('webhook_5xx', { status: info.status, route: info.route });
      }
      if (info.route !== '/webhooks/points') return;
      if (info.status === 401) alerts.record('webhook_verification_failed');
      if (info.status >= 500) alerts.record('webhook_5xx', { status: info.status });
    },
  });
  function reloadSecrets(next: Config): string[] {
    // Before anything can log them: the new values are scrubbed from log lines like the old ones.
    scrubSecrets(logger, [next.points.privateKey, ...next.webhookSecrets]);
    const changed: string[] = [];
    if (next.points.privateKey !== config.points.privateKey) {
      config.points.privateKey = next.points.privateKey;
      full.rebuild();
      earningClient.rebuild();
      changed.push('POINTS_PRIVATE_KEY');
    }
    if (next.webhookSecrets.join('\n') !== config.webhookSecrets.join('\n')) {
      config.webhookSecrets = next.webhookSecrets;
      changed.push('POINTS_WEBHOOK_SECRET');
    }
    logger.info({ changed }, 'secrets reloaded');
    return changed;
  }
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
