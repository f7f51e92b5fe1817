import { createConsoleLogger } from '../../observability/console-logger.ts';
import { createStoreMetrics } from '../../observability/store-metrics.ts';
import type { RuntimePorts } from '../ports.ts';
import { readConsoleAssets, readTextAsset, readWidgetAssets } from './asset-files.ts';
import type { WorkerEnv } from './worker-env.ts';

/**
 * The runtime ports on Cloudflare Workers: widget and console files from the static assets binding,
 * the client address from `CF-Connecting-IP` (Cloudflare sets it; a client cannot), JSON log lines
 * through `console`, metrics read from D1.
 *
 * @example
 * const edge = await createEdge({ config, store: openD1Store(env.DB), ports: workersPorts(env) });
 */
export function workersPorts(env: WorkerEnv): RuntimePorts {
  const level = typeof env['LOG_LEVEL'] === 'string' ? env['LOG_LEVEL'] : undefined;
  return {
    loadWidgets: () => readWidgetAssets(env.ASSETS),
    loadConsole: () => readConsoleAssets(env.ASSETS),
    readTextFile: (path) => readTextAsset(env.ASSETS, path),
    connectionAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    createLogger: ({ secrets }) => createConsoleLogger({ ...(level ? { level } : {}), secrets }),
    createMetrics: createStoreMetrics,
  };
}
