import { connectorOrderCounts } from '../connectors/connector-orders.ts';
import { queueStats } from '../jobs/queue.ts';
import type { Metrics, MetricsOptions } from './metrics.ts';

/**
 * Metrics read from the store alone, in Prometheus' text format: jobs by lane and state, the oldest queued
 * job's age, connector orders by outcome. For runtimes of many short-lived isolates (Cloudflare Workers),
 * where a counter in memory would count one isolate's share: request counts and latencies there come
 * from the platform's own analytics, so what the server is told is not kept.
 *
 * @example
 * const metrics = createStoreMetrics({ store, webhookStats });
 * app.get('/metrics', async (c) => c.text(await metrics.render()));
 */
export function createStoreMetrics(options: MetricsOptions): Metrics {
  const now = options.now ?? Date.now;
  const ignore = () => {};
  return {
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    async render() {
      const jobs = await queueStats(options.store.db, now());
      const connectors = await connectorOrderCounts(options.store.db);
      return [
        ...gauge(
          'points_edge_jobs',
          'Jobs by lane and state (queued, running, dead).',
          jobs.map((row) => [{ lane: row.lane, state: row.state }, row.count]),
        ),
        ...gauge(
          'points_edge_jobs_oldest_due_age_seconds',
          'Age of the oldest queued job per lane: a growing value means a blocked lane.',
          jobs.flatMap((row) =>
            row.state === 'queued' && row.oldestRunAt !== null
              ? [[{ lane: row.lane }, Math.max(0, (now() - row.oldestRunAt) / 1000)] as const]
              : [],
          ),
        ),
        ...gauge(
          'points_edge_connector_orders',
          'Store platform orders and reviews by platform and outcome (waiting, earned, pending, skipped, reversed, failed).',
          connectors.map((row) => [{ platform: row.platform, outcome: row.outcome }, row.count]),
        ),
        '',
      ].join('\n');
    },
    observeHttp: ignore,
    observePoints: ignore,
    observeConnectorAck: ignore,
    deadLettered: ignore,
    reconciled: ignore,
    earningRateLimited: ignore,
    retentionRemoved: ignore,
  };
}

/** One gauge's lines: HELP, TYPE and a sample per label set (label values escaped as Prometheus asks). */
function gauge(
  name: string,
  help: string,
  samples: ReadonlyArray<readonly [Record<string, string>, number]>,
): string[] {
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map(([labels, value]) => {
      const text = Object.entries(labels)
        .map(([key, label]) => `${key}="${escape(label)}"`)
        .join(',');
      return `${name}{${text}} ${value}`;
    }),
  ];
}
