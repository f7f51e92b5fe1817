import type { D1Database, D1PreparedStatement } from '../../store/d1-dialect.ts';

/** A D1 binding that counts the statements sent through it. */
export interface CountedD1 {
  d1: D1Database;
  /** Statements sent so far, every statement of a batch counted. */
  sent(): number;
}

/**
 * Wraps a D1 binding to count what it sends. Each statement of a `batch()` counts as one: Cloudflare's
 * limits page does not say whether a batch is one query or many, and counting each can only stop us early.
 *
 * @example
 * const counted = countD1(env.DB);
 * const store = openD1Store(counted.d1);
 */
export function countD1(d1: D1Database): CountedD1 {
  let sent = 0;
  const counted = (statement: D1PreparedStatement): D1PreparedStatement =>
    ({
      bind: (...values) => counted(statement.bind(...values)),
      all: () => (sent++, statement.all()),
      run: () => (sent++, statement.run()),
      unwrap: () => statement,
    }) as D1PreparedStatement & { unwrap(): D1PreparedStatement };
  return {
    d1: {
      prepare: (text) => counted(d1.prepare(text)),
      batch: (statements) => {
        sent += statements.length;
        return d1.batch(statements.map(unwrapped));
      },
    },
    sent: () => sent,
  };
}

/** D1's `batch()` wants the binding's own statement objects, not our wrappers. */
function unwrapped(statement: D1PreparedStatement): D1PreparedStatement {
  const inner = (statement as { unwrap?: () => D1PreparedStatement }).unwrap;
  return inner ? inner() : statement;
}

/**
 * The most D1 statements one job of ours sends: a store platform's delivery earned at Points is the
 * heaviest (22 measured; a Points webhook 9, a merchant notification 1), plus the looks at two busy leases
 * (the connector order's, then the order's: on D1 `withExclusive` looks at most five times, so four more
 * each). `test/workers/query-budget.test.ts` measures every kind and fails if one needs more than 22.
 */
export const queriesPerJob = 32;
/** What the heaviest job sends when no lease it needs is busy. */
export const queriesPerUncontendedJob = 22;
/** Claiming a batch of jobs is one statement. */
const queriesPerClaim = 1;

/**
 * How many jobs a drain may still claim in this invocation without passing D1's per-invocation query limit
 * (`D1_QUERY_LIMIT`: 50 on Workers Free, 1,000 on Paid), given what the invocation has spent since `startedAt`.
 * Other invocations in the same isolate spend from the same counter, so this errs low, never high: a job
 * that runs out of queries halfway costs an attempt and waits for its lease to lapse, while one not claimed
 * waits only for the next request or cron run.
 *
 * @example
 * const startedAt = counted.sent();
 * await edge.worker.drain({ claimLimit: () => jobsWithinBudget(counted, startedAt, config.d1QueryLimit) });
 */
export function jobsWithinBudget(counted: CountedD1, startedAt: number, limit: number): number {
  const left = limit - (counted.sent() - startedAt) - queriesPerClaim;
  return Math.max(0, Math.floor(left / queriesPerJob));
}
