/**
 * The builders `createEdge` (`edge.ts`) runs, one per part of the edge server: logging and alerts,
 * the Points clients, the context, the job worker, the scheduler, the HTTP app, and key rotation.
 */
import type { Hono } from 'hono';
import type { Operations } from './admin/operations.ts';
import { createEdgeApp } from './app.ts';
import type { Config } from './config.ts';
import type { ConnectorIntakeStats } from './connectors/intake-route.ts';
import type { EarningLane } from './earning/earning-lane.ts';
import type { EdgeOptions } from './edge.ts';
import type { EdgeContext } from './edge-context.ts';
import { enqueueMerchantNotification } from './jobs/notify-merchant.ts';
import { jobHandlers, jobLanes, jobRetryDelayMs } from './jobs/registry.ts';
import { watchLanes } from './jobs/watch-lanes.ts';
import { createWorker, type Worker } from './jobs/worker.ts';
import { createAlerts, type Alerts } from './observability/alerts.ts';
import { scrubSecrets, type Logger } from './observability/log-line.ts';
import type { Metrics } from './observability/metrics.ts';
import { loadCatalog } from './orders/catalog.ts';
import { statusTokenKey } from './orders/status-token-key.ts';
import { createPointsClient, type PointsClient } from './points/client.ts';
import { reconcileOrders, subrequestsPerReconciledOrder } from './reconcile/reconcile.ts';
import { createScheduler, type Scheduler } from './reconcile/schedule.ts';
import { retentionEveryMs, runRetention } from './retention/retention-task.ts';
import type { WidgetBundle } from './routes/widget-bundle.ts';
import type { Catalog } from './orders/catalog.ts';
import type { WebhookIntakeStats } from './webhooks/receive-webhook.ts';

/** What the edge watches itself with: its logger, metrics, alerts and the intake counters they read. */
export interface EdgeObservability {
  logger: Logger;
  metrics: Metrics;
  alerts: Alerts;
  webhookStats: ReturnType<typeof emptyWebhookStats>;
  connectorStats: ConnectorIntakeStats;
}

// An object type (not the interface) so that metrics can read it as counts by outcome.
const emptyWebhookStats = () =>
  ({
    accepted: 0,
    duplicates: 0,
    badSecret: 0,
    malformed: 0,
    ignored: 0,
    storageFailures: 0,
  }) satisfies WebhookIntakeStats;

/**
 * The logger (given, or the runtime's, blanking every secret the configuration holds), the metrics
 * sink and the alerts (kept in the store's `alerts` table).
 *
 * @example const { logger, metrics, alerts, webhookStats } = createObservability(options, Date.now);
 */
export function createObservability(
  options: Pick<EdgeOptions, 'config' | 'store' | 'ports' | 'logger' | 'alertWebhookUrl' | 'alertFetch'>,
  now: () => number,
): EdgeObservability {
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
        ...config.consoleOperators.map((operator) => operator.token),
        ...config.connectors.flatMap((connector) => connector.secrets),
      ],
    });
  const webhookStats = emptyWebhookStats();
  const connectorStats: ConnectorIntakeStats = {};
  const metrics = ports.createMetrics({ store, webhookStats, connectorStats, now });
  const alerts = createAlerts({
    logger,
    now,
    url: options.alertWebhookUrl ?? config.alertWebhookUrl,
    db: store.db,
    // One process has a SQLite file; instances and isolates that share a database count together.
    countIn: store.engine === 'sqlite' ? 'process' : 'database',
    ...(options.alertFetch ? { fetch: options.alertFetch } : {}),
  });
  return { logger, metrics, alerts, webhookStats, connectorStats };
}

/** The edge's Points clients, and how to rebuild them after the private key changed. */
export interface EdgePointsClients {
  /** For routes, jobs, operations and reconciliation. */
  points: PointsClient;
  /** For the earning lane: never retries, since the lane owns 429 handling (it releases its lease while waiting). */
  earning: PointsClient;
  /** Rebuilds both from the configuration as it is now. */
  rebuild(): void;
}

const spikes: Record<number, 'points_400' | 'points_403' | 'points_422' | 'points_429'> = {
  400: 'points_400',
  403: 'points_403',
  422: 'points_422',
  429: 'points_429',
};

/** A client whose calls always go to the latest build (the private key can be rotated). */
function swappable(build: () => PointsClient) {
  let current = build();
  const client = new Proxy({} as PointsClient, {
    get: (_target, name) => current[name as keyof PointsClient],
  });
  return { client, rebuild: () => void (current = build()) };
}

/**
 * The Points clients, built from `config.points` (read again on each rebuild), reporting every answer
 * to the metrics and 4xx spikes to the alerts.
 *
 * @example
 * const clients = createPointsClients(options, metrics, alerts);
 * config.points.privateKey = next.points.privateKey;
 * clients.rebuild();
 */
export function createPointsClients(
  options: Pick<EdgeOptions, 'config' | 'pointsFetch' | 'pointsSleep'>,
  metrics: Metrics,
  alerts: Alerts,
): EdgePointsClients {
  const { config } = options;
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
  const earning = swappable(() => pointsClient(0));
  return {
    points: full.client,
    earning: earning.client,
    rebuild: () => {
      full.rebuild();
      earning.rebuild();
    },
  };
}

/**
 * The files the edge reads once, through the runtime's ports: the catalog (when configured) and the
 * widget bundle (undefined when it is not built).
 *
 * @example const { catalog, widgets } = await loadEdgeFiles(options);
 */
export async function loadEdgeFiles(
  options: Pick<EdgeOptions, 'config' | 'ports'>,
): Promise<{ catalog: Catalog | undefined; widgets: WidgetBundle | undefined }> {
  const { config, ports } = options;
  const catalog = config.catalogFile ? await loadCatalog(config.catalogFile, ports.readTextFile) : undefined;
  const widgets = await ports.loadWidgets();
  return { catalog, widgets };
}

/**
 * The context every route and job reads; reads the status token key from the store.
 *
 * @example
 * const parts = { logger, now, points, catalog, wakeWorker: () => worker.wake() };
 * const context = await createContext(options, parts);
 */
export async function createContext(
  options: Pick<
    EdgeOptions,
    'config' | 'store' | 'resolveOrder' | 'onOrderUpdated' | 'checkoutSessionTtlMs' | 'checkoutWaitMs'
  >,
  parts: {
    logger: Logger;
    now: () => number;
    points: PointsClient;
    catalog: Catalog | undefined;
    wakeWorker: () => void;
  },
): Promise<EdgeContext> {
  const { config, store } = options;
  const { now } = parts;
  return {
    config,
    store,
    points: parts.points,
    logger: parts.logger,
    now,
    resolveOrder: options.resolveOrder,
    catalog: parts.catalog,
    statusKey: await statusTokenKey(store, config.points.privateKey, now()),
    checkoutSessionTtlMs: options.checkoutSessionTtlMs ?? 30 * 60 * 1000,
    enqueueNotification: (trx, event) => enqueueMerchantNotification({ config, now }, trx, event),
    checkoutWaitMs: options.checkoutWaitMs ?? 10_000,
    wakeWorker: parts.wakeWorker,
    onOrderUpdated: options.onOrderUpdated,
  };
}

/**
 * The job worker (not started), running the registry's handlers; a dead letter is counted, alerted
 * and logged, a retry logged.
 *
 * @example const worker = createJobWorker(options, context, { earning, points, metrics, alerts });
 */
export function createJobWorker(
  options: Pick<EdgeOptions, 'merchantFetch' | 'pollMs'>,
  context: EdgeContext,
  parts: { earning: EarningLane; points: PointsClient; metrics: Metrics; alerts: Alerts },
): Worker {
  const { logger } = context;
  return createWorker({
    store: context.store,
    lanes: jobLanes,
    handlers: jobHandlers(context, {
      merchantFetch: options.merchantFetch,
      connectors: { earning: parts.earning, points: parts.points },
    }),
    now: context.now,
    retryDelayMs: jobRetryDelayMs,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onOutcome: (job, outcome, error) => {
      if (outcome === 'dead') {
        parts.metrics.deadLettered(job.kind);
        parts.alerts.record('dead_letter', { kind: job.kind });
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
}

/**
 * The periodic tasks (not started): reconciliation sweeps and full passes, the lane watch, stale
 * earning retries, the retention sweep and, when a connector catches up, the connectors' sweep.
 *
 * @example
 * const parts = { holder: instanceId, points, earning, operations, metrics, alerts };
 * const scheduler = createEdgeScheduler(options, context, parts);
 */
export function createEdgeScheduler(
  options: Pick<EdgeOptions, 'reconcileEveryMs' | 'subrequestsLeft'>,
  context: EdgeContext,
  parts: {
    holder: string;
    points: PointsClient;
    earning: EarningLane;
    operations: Operations;
    metrics: Metrics;
    alerts: Alerts;
  },
): Scheduler {
  const { config, store, logger, now } = context;
  const left = options.subrequestsLeft;
  const keepGoing = left ? () => left() >= subrequestsPerReconciledOrder : undefined;
  const reconcile = async (full: boolean) => {
    const report = await reconcileOrders(context, parts.points, {
      full,
      ...(keepGoing ? { keepGoing } : {}),
    });
    parts.metrics.reconciled(report.mode, report.drift);
  };
  const everyMs = options.reconcileEveryMs ?? { sweep: 5 * 60_000, full: 24 * 3600_000 };
  return createScheduler({
    store,
    logger,
    holder: parts.holder,
    now,
    tickMs: Math.min(30_000, everyMs.sweep),
    tasks: [
      { name: 'reconcile-sweep', everyMs: everyMs.sweep, run: () => reconcile(false) },
      { name: 'reconcile-full', everyMs: everyMs.full, run: () => reconcile(true) },
      { name: 'watch-lanes', everyMs: 60_000, run: () => watchLanes(store, now, parts.alerts) },
      { name: 'earning-retry', everyMs: everyMs.sweep, run: () => parts.earning.retryStale(60_000) },
      {
        name: 'retention',
        everyMs: retentionEveryMs,
        run: () => runRetention({ store, config, logger, metrics: parts.metrics, now }),
      },
      ...(config.connectors.some((connector) => connector.catchUp)
        ? [
            {
              name: 'connector-catch-up',
              everyMs: everyMs.sweep,
              run: () => parts.operations.sweepConnectors(),
            },
          ]
        : []),
    ],
  });
}

/**
 * The HTTP app, reporting every answer to the metrics and the webhook routes' failures to the alerts.
 *
 * @example const app = createApp(options, context, { widgets, observability, operations });
 */
export function createApp(
  options: Pick<EdgeOptions, 'ports'>,
  context: EdgeContext,
  parts: { widgets: WidgetBundle | undefined; observability: EdgeObservability; operations: Operations },
): Hono {
  const { metrics, alerts, webhookStats, connectorStats } = parts.observability;
  return createEdgeApp(context, {
    widgets: parts.widgets,
    webhookStats,
    connectorStats,
    operations: parts.operations,
    metrics,
    connectionAddress: options.ports.connectionAddress,
    consoleAssets: options.ports.loadConsole,
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
}

/** The console operators as one text, to see whether a reload changed any. */
const operatorsText = (config: Config) =>
  config.consoleOperators.map((operator) => `${operator.name}:${operator.role}:${operator.token}`).join('\n');

/**
 * `Edge.reloadSecrets`: swaps a changed private key (rebuilding the clients), webhook secrets and console
 * operators into `config`, and says which changed (names only).
 *
 * @example const reloadSecrets = secretReloader(config, logger, clients);
 */
export function secretReloader(
  config: Config,
  logger: Logger,
  clients: Pick<EdgePointsClients, 'rebuild'>,
): (next: Config) => string[] {
  return (next) => {
    // Before anything can log them: the new values are scrubbed from log lines like the old ones.
    scrubSecrets(logger, [
      next.points.privateKey,
      ...next.webhookSecrets,
      ...next.consoleOperators.map((operator) => operator.token),
    ]);
    const changed: string[] = [];
    if (next.points.privateKey !== config.points.privateKey) {
      config.points.privateKey = next.points.privateKey;
      clients.rebuild();
      changed.push('POINTS_PRIVATE_KEY');
    }
    if (next.webhookSecrets.join('\n') !== config.webhookSecrets.join('\n')) {
      config.webhookSecrets = next.webhookSecrets;
      changed.push('POINTS_WEBHOOK_SECRET');
    }
    // The console reads its operators from `config` on every request, and a session is bound to its
    // operator's token and role (`console/session-store.ts`): a changed or removed operator's sessions end.
    if (operatorsText(next) !== operatorsText(config)) {
      config.consoleOperators = next.consoleOperators;
      changed.push('CONSOLE_OPERATORS');
    }
    logger.info({ changed }, 'secrets reloaded');
    return changed;
  };
}
