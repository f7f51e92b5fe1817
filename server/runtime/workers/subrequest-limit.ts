import type { D1Database, D1PreparedStatement } from '../../store/d1-dialect.ts';

/** Counts what a Worker's invocations send out: D1 statements and fetches. */
export interface Subrequests {
  /** The D1 binding, counting each statement it sends. */
  d1(binding: D1Database): D1Database;
  /** A fetch, counting each call. */
  fetch<F extends (...args: never[]) => unknown>(send: F): F;
  /** Sent so far, by every invocation of this isolate. */
  sent(): number;
}

/**
 * Counts the subrequests of one isolate. Each statement of a `batch()` counts as one: Cloudflare's limits
 * page does not say whether a batch is one query or many, and counting each can only stop us early. Fetches
 * count too: on the Free plan D1 queries and fetches share one limit of 50 an invocation.
 *
 * @example
 * const subrequests = countSubrequests();
 * const store = openD1Store(subrequests.d1(env.DB));
 */
export function countSubrequests(): Subrequests {
  let sent = 0;
  const counted = (statement: D1PreparedStatement): D1PreparedStatement =>
    ({
      bind: (...values: unknown[]) => counted(statement.bind(...values)),
      all: () => (sent++, statement.all()),
      run: () => (sent++, statement.run()),
      unwrap: () => statement,
    }) as D1PreparedStatement;
  return {
    d1: (binding) => ({
      prepare: (text) => counted(binding.prepare(text)),
      batch: (statements) => {
        sent += statements.length;
        return binding.batch(statements.map(unwrapped));
      },
    }),
    fetch: (send) => ((...args: Parameters<typeof send>) => (sent++, send(...args))) as typeof send,
    sent: () => sent,
  };
}

/** D1's `batch()` wants the binding's own statement objects, not our wrappers. */
function unwrapped(statement: D1PreparedStatement): D1PreparedStatement {
  const inner = (statement as { unwrap?: () => D1PreparedStatement }).unwrap;
  return inner ? inner() : statement;
}

/**
 * The most subrequests one job of ours sends: a store platform's delivery earned at Points is the heaviest
 * (measured: see {@link subrequestsPerUncontendedJob}), plus the looks at two busy leases (the connector
 * order's, then the order's: on D1 `withExclusive` looks at most five times, so four more each).
 */
export const subrequestsPerJob = 32;
/**
 * What the heaviest job sends when no lease it needs is busy (23 measured: 22 D1 statements and Points' earning
 * call; a Points webhook 10, a merchant notification 2). `test/workers/subrequest-limit.test.ts` measures each kind.
 */
export const subrequestsPerUncontendedJob = 24;
/** Claiming a batch of jobs is one statement. */
const subrequestsPerClaim = 1;

/**
 * How many jobs a drain may still claim in this invocation without passing its subrequest limit
 * (`WORKER_SUBREQUEST_LIMIT`: 50 on Workers Free, 1,000 (D1's queries) on Paid), given what had been sent
 * when the invocation began. Other invocations of the isolate count on the same counter, so this errs low,
 * never high: a job cut off halfway has spent an attempt and waits for its claim to lapse, while one not
 * claimed waits only for the next request or cron run.
 *
 * @example
 * const startedAt = subrequests.sent();
 * await edge.worker.drain({ claimLimit: () => jobsWithinLimit(subrequests, startedAt, config.workerSubrequestLimit) });
 */
export function jobsWithinLimit(
  subrequests: Pick<Subrequests, 'sent'>,
  startedAt: number,
  limit: number,
): number {
  const left = limit - (subrequests.sent() - startedAt) - subrequestsPerClaim;
  return Math.max(0, Math.floor(left / subrequestsPerJob));
}
