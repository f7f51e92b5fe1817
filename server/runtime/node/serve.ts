import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../../config.ts';
import type { Edge } from '../../edge.ts';
import type { Store } from '../../store/db.ts';
import { migrateToLatest } from '../../store/migrations.ts';
import { releaseDeadClaims } from '../../store/release-dead-claims.ts';
import { loadConfig } from './config.ts';
import { createEdge, type NodeEdgeOptions } from './edge.ts';
import { openDatabase } from './store/open-database.ts';

/** An edge server with its database open and its jobs running, not listening: mount `edge.app` yourself. */
export interface OpenEdge {
  edge: Edge;
  store: Store;
  /** Lets running jobs finish and closes the database (stop your HTTP server first). */
  stop(): Promise<void>;
}

/** A started edge server. */
export interface RunningEdge {
  edge: Edge;
  server: ServerType;
  url: string;
  /** Stops taking requests, lets running jobs finish, closes the database. */
  stop(): Promise<void>;
}

/** Options of {@link openEdge} and {@link startEdge}. */
export type OpenEdgeOptions = { env?: Record<string, string | undefined>; config?: Config } & Omit<
  NodeEdgeOptions,
  'config' | 'store'
>;

/**
 * Everything {@link startEdge} does except listening, for the server as a library inside your own app
 * (integration guide §6): validates the configuration, opens and migrates the database, takes over the
 * claims of a process that died, starts the worker and the reconciliation schedules, and re-reads the
 * secrets on SIGHUP.
 *
 * @example
 * const points = await openEdge({ env: process.env, resolveOrder, onOrderUpdated });
 * app.route('/points', points.edge.app);
 */
export async function openEdge(options: OpenEdgeOptions = {}): Promise<OpenEdge> {
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
    store,
    stop() {
      stopping ??= (async () => {
        process.off('SIGHUP', onHangup);
        await edge.scheduler.stop();
        await edge.worker.stop();
        // The last alerts' rows and POSTs (a dead letter of the last job) before the database closes.
        await edge.alerts.settled();
        await store.close();
      })();
      return stopping;
    },
  };
}

/**
 * Starts the edge server: {@link openEdge}, then listens on the configured host and port. Everything a
 * merchant's `node server/main.ts` needs; tests call it too.
 *
 * @example
 * const running = await startEdge({ env: process.env });
 */
export async function startEdge(options: OpenEdgeOptions = {}): Promise<RunningEdge> {
  const opened = await openEdge(options);
  const { edge, store } = opened;
  const { config } = edge.context;
  const server = serve({ fetch: edge.app.fetch, port: config.port, hostname: config.host });
  try {
    await new Promise<void>((ready, fail) => {
      server.once('listening', ready);
      server.once('error', fail);
    });
  } catch (error) {
    await opened.stop();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  edge.context.logger.info(
    { url, environment: config.environment, engine: store.engine },
    'edge server listening',
  );

  let stopping: Promise<void> | undefined;
  return {
    edge,
    server,
    url,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((done) => server.close(() => done()));
        await opened.stop();
      })();
      return stopping;
    },
  };
}
