import type { PointsResponseInfo } from '../points/client.ts';
import type { Store } from '../store/db.ts';

/** What the metrics sink reads when scraped, besides what it is told. */
export interface MetricsOptions {
  store: Store;
  /** Webhook deliveries so far, by outcome (the intake route's counters). */
  webhookStats: Readonly<Record<string, number>>;
  /** Connector deliveries so far, by platform and outcome (the connector intake's counters). */
  connectorStats?: Readonly<Record<string, Readonly<Partial<Record<string, number>>>>>;
  now?: () => number;
}

/**
 * The edge server's metrics sink: what the server tells it, and the text `GET /metrics` answers. Each
 * runtime gives its own (Node: Prometheus through prom-client, `runtime/node/prometheus-metrics.ts`).
 */
export interface Metrics {
  /** Content type of {@link Metrics.render}'s text, e.g. Prometheus' `text/plain; version=0.0.4`. */
  readonly contentType: string;
  /** Everything measured so far, in the exposition format (queue depth and age read when called). */
  render(): Promise<string>;
  observeHttp(info: { method: string; route: string; status: number; durationMs: number }): void;
  observePoints(info: PointsResponseInfo): void;
  /** A connector delivery answered (intake measures it: the route is shared by every platform). */
  observeConnectorAck(platform: string, durationMs: number): void;
  deadLettered(kind: string): void;
  reconciled(mode: 'sweep' | 'full', repaired: number): void;
  earningRateLimited(): void;
  /** Rows one retention sweep removed from a table (`server/retention`). */
  retentionRemoved(table: string, rows: number): void;
}
