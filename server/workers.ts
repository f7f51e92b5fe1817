/**
 * The package's Cloudflare Workers entry (`points-storefront-kit/workers`): the edge server as a Worker
 * over D1. See docs/integration-guide.md, "Deploy to Cloudflare Workers".
 */
export {
  createWorkerHandler,
  type WorkerHandler,
  type WorkerHandlerOptions,
} from './runtime/workers/worker.ts';
export type { WorkerEnv, ExecutionContext, Fetcher } from './runtime/workers/worker-env.ts';
export { createConsoleLogger, type ConsoleLoggerOptions } from './observability/console-logger.ts';
export { openD1Store } from './store/d1-store.ts';
export { default } from './runtime/workers/worker.ts';
