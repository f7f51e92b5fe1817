import type { Context } from 'hono';
import type { ConsoleAssets } from '../console/console-pages.ts';
import type { Logger } from '../observability/log-line.ts';
import type { Metrics, MetricsOptions } from '../observability/metrics.ts';
import type { WidgetBundle } from '../routes/widget-bundle.ts';

/**
 * What the portable server needs from the runtime it runs on, one port each. Everything else (routes,
 * the Points client, order rules, jobs) is written once against the Web platform: `fetch`, WebCrypto,
 * `setTimeout`. The store is opened by the runtime too, and handed to `createEdge` as `store`.
 * Node's ports are `nodePorts` (`runtime/node/node-ports.ts`).
 *
 * @example
 * const edge = await createEdge({ config, store, ports: nodePorts() });
 */
export interface RuntimePorts {
  /** The built widget bundle, read once at start; undefined when it is not built. */
  loadWidgets(): Promise<WidgetBundle | undefined>;
  /** The built operator console (`dist/console`), read on its first request; undefined when not built. */
  loadConsole(): Promise<ConsoleAssets | undefined>;
  /** The text of a file the configuration names (`CATALOG_FILE`). */
  readTextFile(path: string): Promise<string>;
  /**
   * The address of the connection a request came on, or `unknown` when there is none (`app.request` in
   * tests). Only used when no trusted client-IP header is configured.
   */
  connectionAddress(c: Context): string;
  /** The server's logger, which blanks `secrets` (and phone numbers) wherever they appear in a line. */
  createLogger(options: { secrets: readonly string[] }): Logger;
  /** The metrics sink `GET /metrics` answers from. */
  createMetrics(options: MetricsOptions): Metrics;
}
