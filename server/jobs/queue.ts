import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, JobsTable } from '../store/schema.ts';
import type { Store } from '../store/db.ts';
import { timeOrderedId } from '../store/time-ordered-id.ts';

/** A job as stored, with its payload still JSON text. */
export type Job = Selectable<JobsTable>;

/** What to put on the queue. */
export interface NewJob {
  lane: string;
  kind: string;
  payload: unknown;
  /** Epoch ms before which the job does not run; default now. */
  runAt?: number;
  /** Attempts before the job is dead-lettered; default {@link defaultMaxAttempts}. */
  maxAttempts?: number;
}

/** Attempts of a job enqueued without `maxAttempts`. */
export const defaultMaxAttempts = 10;

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Adds a job. Pass a transaction to enqueue atomically with the write that causes the job
 * (a webhook receipt and its processing job commit together or not at all).
 *
 * @example
 * await store.db.transaction().execute(async (trx) => {
 *   await trx.insertInto('webhook_receipts').values(receipt).execute();
 *   await enqueue(trx, { lane: 'webhooks', kind: 'process-receipt', payload: { receiptId } }, Date.now());
 * });
 */
export async function enqueue(db: Executor, job: NewJob, now: number): Promise<string> {
  const row = newJobRow(job, now);
  await db.insertInto('jobs').values(row).execute();
  return row.id;
}

/** The row a new job is stored as: queued, due at `runAt` (default now), no attempts yet. */
export function newJobRow(job: NewJob, now: number) {
  return {
    id: timeOrderedId(now),
    lane: job.lane,
    kind: job.kind,
    payload: JSON.stringify(job.payload ?? null),
    state: 'queued',
    run_at: job.runAt ?? now,
    attempts: 0,
    max_attempts: job.maxAttempts ?? defaultMaxAttempts,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  } satisfies Insertable<JobsTable>;
}

/** Options for {@link claimJobs}. */
export interface ClaimOptions {
  lanes: string[];
  workerId: string;
  /** How long the claim holds; a job still `running` after this is taken to have crashed and is re-run. */
  leaseMs: number;
  limit: number;
  now: number;
}

/**
 * Takes up to `limit` runnable jobs: queued and due, or running with an expired lease (its worker died).
 * On Postgres, `FOR UPDATE SKIP LOCKED` lets several instances claim side by side without waiting on
 * or double-claiming each other; SQLite has one writer, so the plain subquery is already exclusive.
 */
export async function claimJobs(store: Store, options: ClaimOptions): Promise<Job[]> {
  const { db } = store;
  let runnable = db
    .selectFrom('jobs')
    .select('id')
    .where('lane', 'in', options.lanes)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', options.now)]),
        eb.and([eb('state', '=', 'running'), eb('locked_until', '<', options.now)]),
      ]),
    )
    .orderBy('run_at')
    .limit(options.limit);
  if (store.engine === 'postgres') runnable = runnable.forUpdate().skipLocked();

  return db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      locked_by: options.workerId,
      locked_until: options.now + options.leaseMs,
      attempts: eb('attempts', '+', 1),
      updated_at: options.now,
    }))
    .where('id', 'in', runnable)
    .returningAll()
    .execute();
}

/** Marks a claimed job done. Only the worker that holds the claim can finish it. */
export async function completeJob(db: Executor, job: Job, now: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ state: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: now })
    .where('id', '=', job.id)
    .where('locked_by', '=', job.locked_by)
    .execute();
}

/**
 * Records a failed attempt: the job is queued again after `retryInMs`, or dead-lettered once it has
 * used its attempts. Returns which.
 */
export async function failJob(
  db: Executor,
  job: Job,
  error: string,
  retryInMs: number,
  now: number,
): Promise<'retry' | 'dead'> {
  const outcome = job.attempts >= job.max_attempts ? 'dead' : 'retry';
  await db
    .updateTable('jobs')
    .set({
      state: outcome === 'dead' ? 'dead' : 'queued',
      run_at: outcome === 'dead' ? job.run_at : now + retryInMs,
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 2000),
      updated_at: now,
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', job.locked_by)
    .execute();
  return outcome;
}

/** Puts a dead-lettered job back on the queue with a fresh set of attempts (`deliveries replay`). */
export async function replayJob(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, last_error: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Jobs per lane and state (queued, running and dead; done ones are not counted), each group with its
 * earliest `run_at`, never later than `now`: a lane whose queued jobs are all due later reads as due now
 * (age 0). For `/metrics` and the blocked-lane alert.
 */
export async function queueStats(
  db: Executor,
  now: number,
): Promise<Array<{ lane: string; state: string; count: number; oldestRunAt: number | null }>> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['lane', 'state', eb.fn.countAll<number>().as('count'), eb.fn.min('run_at').as('oldest')])
    .where('state', 'in', ['queued', 'running', 'dead'])
    .groupBy(['lane', 'state'])
    .execute();
  return rows.map((row) => ({
    lane: row.lane,
    state: row.state,
    count: Number(row.count),
    oldestRunAt: row.oldest === null ? null : Math.min(Number(row.oldest), now),
  }));
}
