import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { connectorOrderCounts } from '../../connectors/connector-orders.ts';
import { queueStats } from '../../jobs/queue.ts';
import type { Metrics, MetricsOptions } from '../../observability/metrics.ts';
import type { PointsResponseInfo } from '../../points/client.ts';

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A local fsync takes from a tenth of a millisecond (fast SSD) to tens of milliseconds (network disk). */
const commitBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The edge server's Prometheus metrics, in a registry of its own (several edges in one process, as in
 * tests, never share counters). Queue depth and age are read from the database when scraped.
 *
 * @example
 * const metrics = createPrometheusMetrics({ store, webhookStats });
 * app.get('/metrics', async (c) => c.text(await metrics.render()));
 */
export function createPrometheusMetrics(options: MetricsOptions): Metrics & { registry: Registry } {
  const now = options.now ?? Date.now;
  const registry = new Registry();
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'points_edge_http_requests_total',
    help: 'HTTP requests served, by method, matched route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'points_edge_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by matched route.',
    labelNames: ['route'] as const,
    buckets: latencyBuckets,
    registers,
  });
  const webhookAck = new Histogram({
    name: 'points_edge_webhook_ack_seconds',
    help: 'Time from receiving a Points webhook to answering it.',
    labelNames: ['status'] as const,
    buckets: latencyBuckets,
    registers,
  });
  const stats = options.webhookStats;
  new Counter({
    name: 'points_edge_webhooks_total',
    help: 'Points webhook deliveries by outcome (accepted, duplicates, badSecret, malformed, ignored, storageFailures).',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(stats)) this.inc({ outcome }, count);
    },
  });
  const connectorStats = options.connectorStats ?? {};
  new Counter({
    name: 'points_edge_connector_deliveries_total',
    help: 'Store platform webhook deliveries by platform and outcome (accepted, duplicate, ignored, ping, unauthorized, malformed, storage_failed).',
    labelNames: ['platform', 'outcome'] as const,
    registers,
    collect() {
      this.reset();
      for (const [platform, outcomes] of Object.entries(connectorStats)) {
        for (const [outcome, count] of Object.entries(outcomes)) this.inc({ platform, outcome }, count ?? 0);
      }
    },
  });
  const connectorAck = new Histogram({
    name: 'points_edge_connector_ack_seconds',
    help: 'Time from receiving a store platform delivery to answering it, by platform.',
    labelNames: ['platform'] as const,
    buckets: latencyBuckets,
    registers,
  });
  new Gauge({
    name: 'points_edge_connector_orders',
    help: 'Store platform orders and reviews by platform and outcome (waiting, earned, pending, skipped, reversed, failed).',
    labelNames: ['platform', 'outcome'] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await connectorOrderCounts(options.store.db)) {
        this.set({ platform: row.platform, outcome: row.outcome }, row.count);
      }
    },
  });
  const pointsResponses = new Counter({
    name: 'points_edge_points_responses_total',
    help: 'Answers from the Points API by route and HTTP status (0 = no answer: network, timeout).',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const pointsDuration = new Histogram({
    name: 'points_edge_points_request_duration_seconds',
    help: 'Points API call latency by route.',
    labelNames: ['route'] as const,
    buckets: latencyBuckets,
    registers,
  });
  new Gauge({
    name: 'points_edge_jobs',
    help: 'Jobs by lane and state (queued, running, dead).',
    labelNames: ['lane', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await queueStats(options.store.db, now())) {
        this.set({ lane: row.lane, state: row.state }, row.count);
      }
    },
  });
  new Gauge({
    name: 'points_edge_jobs_oldest_due_age_seconds',
    help: 'Age of the oldest queued job per lane: a growing value means a blocked lane.',
    labelNames: ['lane'] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await queueStats(options.store.db, now())) {
        if (row.state !== 'queued' || row.oldestRunAt === null) continue;
        this.set({ lane: row.lane }, Math.max(0, (now() - row.oldestRunAt) / 1000));
      }
    },
  });
  const deadLetters = new Counter({
    name: 'points_edge_dead_letters_total',
    help: 'Jobs dead-lettered since start, by kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const retentionRemoved = new Counter({
    name: 'points_edge_retention_removed_total',
    help: 'Rows the retention sweep deleted since start, by table (webhook_receipt_bodies: bodies cleared).',
    labelNames: ['table'] as const,
    registers,
  });
  const drift = new Counter({
    name: 'points_edge_reconcile_drift_total',
    help: 'Orders whose local copy differed from Points and was repaired by reconciliation.',
    labelNames: ['mode'] as const,
    registers,
  });
  // SQLite only: the durable commits that webhook intake waits for (their fsync is most of a webhook's wait).
  if (options.store.observeCommits) {
    const commitDuration = new Histogram({
      name: 'points_edge_sqlite_commit_seconds',
      help: 'SQLite group commits (statements and fsync) of webhook receipts and other batched writes.',
      buckets: commitBuckets,
      registers,
    });
    const committedTransactions = new Counter({
      name: 'points_edge_sqlite_committed_transactions_total',
      help: 'Transactions committed in SQLite group commits (divide by the commit count for the group size).',
      registers,
    });
    options.store.observeCommits((commit) => {
      commitDuration.observe(commit.seconds);
      committedTransactions.inc(commit.transactions);
    });
  }
  const earningRateLimited = new Counter({
    name: 'points_edge_earning_rate_limited_total',
    help: 'Earning calls Points answered with 429 (should stay at zero: the lane serializes them).',
    registers,
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeHttp(info: { method: string; route: string; status: number; durationMs: number }) {
      httpRequests.inc({ method: info.method, route: info.route, status: String(info.status) });
      httpDuration.observe({ route: info.route }, info.durationMs / 1000);
      if (info.route === '/webhooks/points') {
        webhookAck.observe({ status: String(info.status) }, info.durationMs / 1000);
      }
    },
    observePoints(info: PointsResponseInfo) {
      pointsResponses.inc({ method: info.method, route: info.path, status: String(info.status) });
      pointsDuration.observe({ route: info.path }, info.durationMs / 1000);
    },
    /** A connector delivery answered (intake measures it: the route is shared by every platform). */
    observeConnectorAck(platform: string, durationMs: number) {
      connectorAck.observe({ platform }, durationMs / 1000);
    },
    deadLettered(kind: string) {
      deadLetters.inc({ kind });
    },
    reconciled(mode: 'sweep' | 'full', repaired: number) {
      drift.inc({ mode }, repaired);
    },
    earningRateLimited() {
      earningRateLimited.inc();
    },
    retentionRemoved(table: string, rows: number) {
      retentionRemoved.inc({ table }, rows);
    },
  };
}
