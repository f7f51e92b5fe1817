import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import { createLogger } from '../../observability/logger.ts';
import type { RuntimePorts } from '../ports.ts';
import { readConsoleFolder } from './console-folder.ts';
import { packageRoot } from './package-files.ts';
import { createPrometheusMetrics } from './prometheus-metrics.ts';
import { readWidgetFolder } from './widget-folder.ts';

/** Options of {@link nodePorts}. */
export interface NodePortsOptions {
  /** Folder of the built widgets; default `dist/widgets` of this package. */
  widgetsDir?: string;
}

/**
 * The runtime ports on Node (and on Bun and Deno, which run the same code): files from the disk, the
 * socket's address from `@hono/node-server`'s `c.env.incoming`, Prometheus metrics.
 *
 * @example
 * const edge = await createEdge({ config, store, ports: nodePorts({ widgetsDir: 'dist/widgets' }) });
 */
export function nodePorts(options: NodePortsOptions = {}): RuntimePorts {
  return {
    loadWidgets: () =>
      readWidgetFolder(options.widgetsDir ?? fileURLToPath(new URL('dist/widgets', packageRoot))),
    loadConsole: () => readConsoleFolder(),
    readTextFile: (path) => readFile(path, 'utf8'),
    connectionAddress: socketAddress,
    createLogger,
    createMetrics: createPrometheusMetrics,
  };
}

/** The socket a request came on, as `@hono/node-server` hands it over; `unknown` without one. */
function socketAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
