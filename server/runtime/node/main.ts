/**
 * Runs the edge server from the environment: `node server/main.ts` (or `npx points-edge serve`).
 * A bad configuration stops it with a message naming each variable, never its value.
 */
import { ConfigError } from '../../config.ts';
import { loadDotEnv } from './env-file.ts';
import { startEdge } from './serve.ts';

loadDotEnv();

try {
  const running = await startEdge();
  const { logger } = running.edge.context;
  // SIGTERM (docker stop, Kubernetes) or Ctrl-C: stop taking requests, let running jobs finish, close the database.
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping: finishing requests and jobs in flight');
    running.stop().then(
      () => {
        logger.info('edge server stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'edge server did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  const listen = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (listen.code === 'EADDRINUSE') {
    // One line the operator can act on, not the listen error's stack.
    console.error(
      `points-edge serve: port ${listen.port} on ${listen.address} is already in use; stop what holds it, or set PORT to another port.`,
    );
    process.exit(1);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
