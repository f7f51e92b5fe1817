import type { Store } from '../store/db.ts';
import { unrefTimer, type IntervalTimer } from '../shared/timers.ts';
import { defaultJobRetryDelayMs } from '../shared/backoff.ts';
import { claimJobs, completeJob, failJob, type Job } from './queue.ts';

/** Runs one job. Throwing schedules a retry (or dead-letters the job after its last attempt). */
export type JobHandler = (payload: unknown, job: Job) => Promise<void>;

/** Options for {@link createWorker}. */
export interface WorkerOptions {
  store: Store;
  /** Handlers by job kind. A job of an unknown kind is dead-lettered at once. */
  handlers: Record<string, JobHandler>;
  lanes: string[];
  workerId?: string;
  /** How often to look for due jobs when nobody called `wake()`; default 1 s. */
  pollMs?: number;
  leaseMs?: number;
  /** Jobs claimed and run side by side; default 4. */
  concurrency?: number;
  /** Delay before attempt n+1 of a job; default {@link defaultJobRetryDelayMs} (1 s doubling to 5 min). */
  retryDelayMs?: (job: Job) => number;
  now?: () => number;
  /** Called after each job with its outcome (logging, metrics). */
  onOutcome?: (job: Job, outcome: 'done' | 'retry' | 'dead', error?: unknown) => void;
  /** Called when claiming itself fails (database down); the worker tries again at the next poll. */
  onClaimError?: (error: unknown) => void;
}

/** Options of {@link Worker.drain}. */
export interface DrainOptions {
  /** Epoch ms after which no batch is claimed. */
  deadline?: number;
  /** How many jobs may be claimed next (at most the concurrency); 0 ends the drain. */
  claimLimit?: () => number;
}

export interface Worker {
  /** Starts polling. */
  start(): void;
  /** Asks the worker to look for jobs now (after an enqueue). */
  wake(): void;
  /**
   * Runs every due job until none is left (tests, the CLI, a Worker after its response and on cron), or
   * until `deadline` (epoch ms) passes: no batch is claimed after it, so no claim outlives the invocation
   * that holds it, or until `claimLimit()` (asked before each claim: how many jobs may be claimed now)
   * says 0, so a Worker stays within its invocation's D1 query limit. Returns how many ran.
   */
  drain(options?: DrainOptions): Promise<number>;
  /** Stops polling and waits for running jobs. */
  stop(): Promise<void>;
}

/**
 * A polling worker over the durable job table. One per process; several processes may share a
 * Postgres database, each claiming different jobs.
 *
 * @example
 * const worker = createWorker({ store, lanes: ['webhooks'], handlers: { 'process-receipt': processReceipt } });
 * worker.start();
 */
export function createWorker(options: WorkerOptions): Worker {
  const now = options.now ?? Date.now;
  const workerId = options.workerId ?? `worker-${crypto.randomUUID()}`;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const concurrency = options.concurrency ?? 4;
  const retryDelayMs = options.retryDelayMs ?? ((job: Job) => defaultJobRetryDelayMs(job.attempts));
  let timer: IntervalTimer | undefined;
  let running = false;
  let rerun = false;
  let stopped = false;
  let current: Promise<number> = Promise.resolve(0);

  async function runJob(job: Job): Promise<void> {
    const handler = options.handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(JSON.parse(job.payload), job);
      await completeJob(options.store.db, job, now());
      options.onOutcome?.(job, 'done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const finalJob = handler ? job : { ...job, attempts: job.max_attempts };
      const outcome = await failJob(options.store.db, finalJob, message, retryDelayMs(job), now());
      options.onOutcome?.(job, outcome, error);
    }
  }

  async function runDue({ deadline = Infinity, claimLimit }: DrainOptions = {}): Promise<number> {
    let ran = 0;
    while (now() < deadline) {
      const limit = Math.min(concurrency, claimLimit?.() ?? concurrency);
      if (limit <= 0) return ran;
      const jobs = await claimJobs(options.store, {
        lanes: options.lanes,
        workerId,
        leaseMs,
        limit,
        now: now(),
      });
      if (jobs.length === 0) return ran;
      await Promise.all(jobs.map(runJob));
      ran += jobs.length;
      if (stopped) return ran;
    }
    return ran;
  }

  function tick(): void {
    if (stopped) return;
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    current = runDue()
      .catch((error: unknown) => {
        options.onClaimError?.(error);
        return 0;
      })
      .finally(() => {
        running = false;
        if (rerun) {
          rerun = false;
          tick();
        }
      });
  }

  return {
    start() {
      stopped = false;
      timer ??= setInterval(tick, pollMs);
      unrefTimer(timer);
      tick();
    },
    wake: tick,
    async drain(drainOptions = {}) {
      await current;
      let total = 0;
      for (;;) {
        const ran = await runDue(drainOptions);
        if (ran === 0) return total;
        total += ran;
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await current;
    },
  };
}
