import { serve, type ServerType } from '@hono/node-server';
import { loadConfig, type Config } from './config.ts';
import { createEdge, type Edge, type EdgeOptions } from './edge.ts';
import { openDatabase } from './store/db.ts';
import { migrateToLatest } from './store/migrations.ts';
import { releaseDeadClaims } from './store/release-dead-claims.ts';

/** A started edge server. */
export interface RunningEdge {
  edge: Edge;
  server: ServerType;
  url: string;
  /** Stops taking requests, lets running jobs finish, closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the edge server: validates the configuration, opens and migrates the database, starts the
 * worker and listens. Everything a merchant's `node server/main.ts` needs; tests call it too.
 *
 * @example
 * const running = await startEdge({ env: process.env });
 */
export async function startEdge(
  options: { env?: Record<string, string | undefined>; config?: Config } & Omit<
    EdgeOptions,
    'config' | 'store'
  > = {},
): Promise<RunningEdge> {
  const config = options.config ?? loadConfig(options.env ?? process.env);
  const store = await openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const edge = await createEdge({
    ...options,
    config,
    store,
  });
  const released = await releaseDeadClaims(store, edge.context.now());
  if (released.jobs > 0 || released.leases > 0) {
    edge.context.logger.warn(released, 'took over the claims of a server process that had died');
  }
  edge.worker.start();
  edge.scheduler.start();
  const server = serve({ fetch: edge.app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((ready, fail) => {
    server.once('listening', ready);
    server.once('error', fail);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  edge.context.logger.info(
    { url, environment: config.environment, engine: store.engine },
    'edge server listening',
  );

  // SIGHUP: re-read the configuration (a rotated POINTS_PRIVATE_KEY_FILE or webhook secret) in place.
  const onHangup = () => {
    try {
      edge.reloadSecrets(loadConfig(options.env ?? process.env));
    } catch (error) {
      edge.context.logger.error({ err: error }, 'SIGHUP: new configuration rejected; keeping the old one');
    }
  };
  process.on('SIGHUP', onHangup);

  let stopping: Promise<void> | undefined;
  return {
    edge,
    server,
    url,
    stop() {
      stopping ??= (async () => {
        process.off('SIGHUP', onHangup);
        await new Promise<void>((done) => server.close(() => done()));
        await edge.scheduler.stop();
        await edge.worker.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
