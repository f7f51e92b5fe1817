import type { Logger } from '../observability/log-line.ts';
import { unrefTimer, type IntervalTimer } from '../shared/timers.ts';
import { acquireLease } from '../store/leases.ts';
import type { Store } from '../store/db.ts';

/** A periodic task. */
export interface ScheduledTask {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/** Options for {@link createScheduler}. */
export interface SchedulerOptions {
  store: Store;
  tasks: ScheduledTask[];
  logger: Logger;
  holder?: string;
  now?: () => number;
  /** How often to check which tasks are due; default 30 s. */
  tickMs?: number;
}

export interface Scheduler {
  /** Runs every task whose period has passed and which no other instance has run in it; returns their names. */
  runDue(): Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs periodic tasks on exactly one instance per period: before running, an instance takes the lease
 * `schedule:<name>` until the end of the period (no early renewal), so whichever instance ticks first
 * runs it and the others skip. A crashed run is simply retried in the next period.
 *
 * @example
 * const scheduler = createScheduler({ store, logger, tasks: [{ name: 'reconcile-sweep', everyMs: 300_000, run }] });
 * scheduler.start();
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  const holder = options.holder ?? `instance-${crypto.randomUUID()}`;
  let timer: IntervalTimer | undefined;
  let current: Promise<unknown> = Promise.resolve();

  async function runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const task of options.tasks) {
      try {
        if (
          !(await acquireLease(options.store, `schedule:${task.name}`, holder, task.everyMs, now(), false))
        ) {
          continue;
        }
        ran.push(task.name);
        await task.run();
      } catch (error) {
        options.logger.error({ err: error, task: task.name }, 'scheduled task failed');
      }
    }
    return ran;
  }

  return {
    runDue,
    start() {
      timer ??= setInterval(() => {
        current = current.then(runDue);
      }, options.tickMs ?? 30_000);
      unrefTimer(timer);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await current;
    },
  };
}
