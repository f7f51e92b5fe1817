import { Hono } from 'hono';
import { ConfigError, loadConfig } from '../../config.ts';
import { createEdge, type Edge, type EdgeOptions } from '../../edge.ts';
import { problem } from '../../http/problem.ts';
import { openD1Store } from '../../store/d1-store.ts';
import { countSubrequests, jobsWithinLimit, type Subrequests } from './subrequest-limit.ts';
import { workersPorts } from './workers-ports.ts';
import { d1BindingOf, environmentOf, type ExecutionContext, type WorkerEnv } from './worker-env.ts';

/** Options of {@link createWorkerHandler}: the edge's hooks, as `createEdge` takes them on Node. */
export type WorkerHandlerOptions = Pick<
  EdgeOptions,
  'resolveOrder' | 'onOrderUpdated' | 'merchantFetch' | 'pointsFetch' | 'platformFetch'
>;

/** A Worker's two entry points, as Cloudflare calls them. */
export interface WorkerHandler {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response>;
  scheduled(controller: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void>;
}

/** How long after its response a request's `waitUntil` may keep claiming jobs (Cloudflare allows 30 s). */
const afterResponseMs = 20_000;
/** How long a cron run may keep claiming jobs: under the job lease (60 s), before the next minute's run. */
const cronRunMs = 45_000;

type Started = { edge: Edge; subrequests: Subrequests } | { problems: string[]; message: string };

/**
 * The edge server as a Cloudflare Worker over D1. One edge per isolate, built on its first event; its
 * durable work runs without a polling process: a request that stores a job drains the queue after its
 * response, inside `ctx.waitUntil`, and the cron trigger (every minute) drains what is due (retries
 * included) and runs the schedules (reconciliation, sweeps), each once per period across isolates.
 *
 * A bad or missing variable or secret answers every route, `/readyz` included, 503
 * `server_not_configured` naming each problem, as the Node CLI prints them; `/healthz` still answers.
 *
 * @example
 * // worker.ts (wrangler.jsonc "main")
 * import { createWorkerHandler } from 'points-storefront-kit/workers';
 * export default createWorkerHandler({ resolveOrder: async (number) => lookUpMyOrder(number) });
 */
export function createWorkerHandler(options: WorkerHandlerOptions = {}): WorkerHandler {
  let started: Promise<Started> | undefined;
  let wakes = 0;
  /** What had been sent when the latest cron run began: its schedules spend from there. */
  let cronStartedAt = 0;

  async function start(env: WorkerEnv): Promise<Started> {
    try {
      const config = loadConfig(environmentOf(env));
      const d1 = d1BindingOf(env, config.databaseUrl);
      if (typeof d1 === 'string') throw new ConfigError([d1]);
      const subrequests = countSubrequests();
      const edge = await createEdge({
        ...options,
        pointsFetch: subrequests.fetch(options.pointsFetch ?? fetch),
        merchantFetch: subrequests.fetch(options.merchantFetch ?? fetch),
        platformFetch: subrequests.fetch(options.platformFetch ?? fetch),
        alertFetch: subrequests.fetch(fetch),
        subrequestsLeft: () => config.workerSubrequestLimit - (subrequests.sent() - cronStartedAt),
        config,
        store: openD1Store(subrequests.d1(d1)),
        ports: workersPorts(env),
        wakeWorker: () => void wakes++,
      });
      return { edge, subrequests };
    } catch (error) {
      if (error instanceof ConfigError) return { problems: error.problems, message: error.message };
      throw error;
    }
  }

  /** This isolate's edge; a failure other than configuration (D1 down) is tried again next time. */
  function edgeOf(env: WorkerEnv): Promise<Started> {
    started ??= start(env).catch((error: unknown) => {
      started = undefined;
      throw error;
    });
    return started;
  }

  return {
    async fetch(request, env, ctx) {
      let current: Started;
      try {
        current = await edgeOf(env);
      } catch (error) {
        console.error(JSON.stringify({ level: 50, msg: 'could not start', err: String(error) }));
        return notStarted.fetch(request);
      }
      if (!('edge' in current)) return notConfigured(current).fetch(request);
      const invocation = { ...current, startedAt: current.subrequests.sent() };
      const before = wakes;
      const response = await current.edge.app.fetch(request, env, ctx);
      if (wakes !== before) ctx.waitUntil(drain(invocation, afterResponseMs));
      // An alert this request raised is written (and posted) after the response: keep the isolate for it.
      ctx.waitUntil(current.edge.alerts.settled());
      return response;
    },
    async scheduled(_controller, env, ctx) {
      const current = await edgeOf(env);
      if (!('edge' in current)) {
        console.error(JSON.stringify({ level: 50, msg: 'cron: not configured', problems: current.problems }));
        return;
      }
      const invocation = { ...current, startedAt: current.subrequests.sent() };
      cronStartedAt = invocation.startedAt;
      ctx.waitUntil(
        (async () => {
          await current.edge.scheduler.runDue();
          await drain(invocation, cronRunMs);
        })(),
      );
    },
  };
}

/** What one invocation drains with: the edge, and the subrequests sent when it began. */
interface Invocation {
  edge: Edge;
  subrequests: Subrequests;
  startedAt: number;
}

/**
 * Runs due jobs until none is left, `forMs` has passed, or the invocation's subrequests left would not
 * cover another job, then waits for the alerts they raised (a dead letter) to be stored and posted; a
 * failure is logged, never thrown.
 */
async function drain({ edge, subrequests, startedAt }: Invocation, forMs: number): Promise<void> {
  const limit = edge.context.config.workerSubrequestLimit;
  try {
    const ran = await edge.worker.drain({
      deadline: edge.context.now() + forMs,
      claimLimit: () => jobsWithinLimit(subrequests, startedAt, limit),
    });
    if (jobsWithinLimit(subrequests, startedAt, limit) === 0) {
      edge.context.logger.info(
        { ran, subrequests: subrequests.sent() - startedAt, limit },
        'drain stopped at the subrequest limit; the rest waits for the next request or cron run',
      );
    }
  } catch (error) {
    edge.context.logger.error({ err: error }, 'could not claim jobs');
  }
  await edge.alerts.settled();
}

/** The answers of a Worker whose configuration is invalid: what is wrong, never a stack trace. */
function notConfigured(current: { problems: string[]; message: string }): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.all('*', (c) =>
    problem(c, 'server_not_configured', current.message, { configuration: current.problems }),
  );
  return app;
}

/** The answer while the edge cannot start for another reason (D1 not answering): try again. */
const notStarted = new Hono().all('*', (c) => {
  c.header('retry-after', '5');
  return problem(c, 'storage_unavailable', 'The server could not start: its database did not answer.');
});

/** The Worker with no hooks: `wrangler.jsonc` can name this file as `main` directly. */
export default createWorkerHandler();
