import { consoleSessionPolicy } from '../console/session-store.ts';
import { refundEvents } from '../orders/counted-refunds.ts';
import type { Store } from '../store/db.ts';
import { firstTimeOrderedId, timeOfOrderedId } from '../store/time-ordered-id.ts';
import { dayMs, retentionPeriods } from './retention-periods.ts';

/** What one sweep removes from: a table's rows, or (`webhook_receipt_bodies`) the bodies of kept receipts. */
export type RetentionTarget =
  | 'webhook_receipt_bodies'
  | 'webhook_receipts'
  | 'jobs'
  | 'console_audit'
  | 'alerts'
  | 'console_sessions'
  | 'rate_windows'
  | 'leases';

/** Options for {@link sweepRetention}. */
export interface RetentionOptions {
  store: Store;
  now: number;
  /** `config.retention`. */
  webhookBodyDays: number;
  auditDays: number;
  /** Rows one statement removes at most; default 500. */
  batchSize?: number;
  /**
   * Statements one run sends at most; default 20. A Worker's cron invocation may send 50 queries on D1's
   * free plan and also drains jobs and runs the other schedules; on SQLite each statement holds the
   * writer for a few milliseconds only.
   */
  maxStatements?: number;
}

/** What one run removed (counts only), and whether rows were left for the next run. */
export interface RetentionReport {
  removed: Record<RetentionTarget, number>;
  statements: number;
  /** True when the run's statements ran out before every target was swept. */
  unfinished: boolean;
}

/** Where body clearing has reached (epoch ms), in the table of named sweep positions. */
const bodyCursor = 'retention:receipt-bodies';

/**
 * Deletes what has outlived its period (`retention-periods.ts`), in batches: each statement removes at
 * most `batchSize` rows, oldest first, and a run sends at most `maxStatements`, taking one batch of each
 * target in turn so a large backlog in one table does not starve the others. What is left waits for the
 * next run. Tables keyed by time-ordered ids (receipts, jobs) are read through their primary key, so a
 * batch reads the rows it removes and not the table.
 *
 * @example
 * const report = await sweepRetention({ store, now: Date.now(), webhookBodyDays: 30, auditDays: 365 });
 * report.removed.jobs; // done jobs deleted
 */
export async function sweepRetention(options: RetentionOptions): Promise<RetentionReport> {
  const { store, now } = options;
  const db = store.db;
  const batchSize = options.batchSize ?? 500;
  // One statement is kept back for writing where body clearing reached.
  const budget = (options.maxStatements ?? 20) - 1;
  let statements = 0;
  const count = <T>(query: Promise<T>): Promise<T> => {
    statements += 1;
    return query;
  };
  const deleted = (result: { numDeletedRows: bigint }[]) => Number(result[0]?.numDeletedRows ?? 0);

  const receiptCutoff = now - retentionPeriods.receiptDays * dayMs;
  const bodyCutoff = now - options.webhookBodyDays * dayMs;
  const jobCutoff = now - retentionPeriods.doneJobDays * dayMs;
  let bodiesFrom: string | undefined;
  let bodiesStart = 0;
  let bodiesReached: number | undefined;

  const batches: Record<RetentionTarget, () => Promise<number>> = {
    async webhook_receipt_bodies() {
      if (bodiesFrom === undefined) {
        const cursor = await count(
          db
            .selectFrom('connector_cursors')
            .select('position')
            .where('name', '=', bodyCursor)
            .executeTakeFirst(),
        );
        // Not the bodies of receipts old enough to be deleted: their rows go with them.
        bodiesStart = Math.max(cursor ? Number(cursor.position) : 0, receiptCutoff);
        bodiesFrom = firstTimeOrderedId(bodiesStart);
      }
      // Only finished receipts: one still `received` is read by its job (or by a replay of it).
      const cleared = await count(
        db
          .updateTable('webhook_receipts')
          .set({ raw_body: '' })
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('webhook_receipts')
              .select('id')
              .where('id', '>', bodiesFrom!)
              // The id says when it was made; `received_at` says it too, and decides.
              .where('id', '<', firstTimeOrderedId(bodyCutoff))
              .where('received_at', '<', bodyCutoff)
              .where('status', '!=', 'received')
              .where('raw_body', '!=', '')
              .where((inner) =>
                inner.or([inner('source', '!=', 'points'), inner('event', 'not in', refundEvents)]),
              )
              .orderBy('id')
              .limit(batchSize),
          )
          .returning('id')
          .execute(),
      );
      const last = cleared
        .map((row) => row.id)
        .sort()
        .at(-1);
      if (last) bodiesFrom = last;
      // A longer body period since the last run moves the cutoff back; the position never does.
      bodiesReached = Math.max(bodiesStart, cleared.length < batchSize ? bodyCutoff : timeOfOrderedId(last!));
      return cleared.length;
    },

    async webhook_receipts() {
      const result = await count(
        db
          .deleteFrom('webhook_receipts')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('webhook_receipts')
              .select('id')
              .where('id', '<', firstTimeOrderedId(receiptCutoff))
              .where('received_at', '<', receiptCutoff)
              .where('status', '!=', 'received')
              .orderBy('id')
              .limit(batchSize),
          )
          .execute(),
      );
      return deleted(result);
    },

    async jobs() {
      // Done jobs only: a dead one waits for an operator, however old.
      const result = await count(
        db
          .deleteFrom('jobs')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('jobs')
              .select('id')
              .where('id', '<', firstTimeOrderedId(jobCutoff))
              .where('state', '=', 'done')
              .where('updated_at', '<', jobCutoff)
              .orderBy('id')
              .limit(batchSize),
          )
          .execute(),
      );
      return deleted(result);
    },

    async console_audit() {
      const cutoff = now - options.auditDays * dayMs;
      const result = await count(
        db
          .deleteFrom('console_audit')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('console_audit')
              .select('id')
              .where('at', '<', cutoff)
              .orderBy('at')
              .limit(batchSize),
          )
          .execute(),
      );
      return deleted(result);
    },

    async alerts() {
      // Quiet for a day closes an alert, so one that last fired this long ago is long closed.
      const cutoff = now - retentionPeriods.alertDays * dayMs;
      const result = await count(
        db
          .deleteFrom('alerts')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('alerts')
              .select('id')
              .where('last_fired_at', '<', cutoff)
              .orderBy('last_fired_at')
              .limit(batchSize),
          )
          .execute(),
      );
      return deleted(result);
    },

    async console_sessions() {
      // Sign-in deletes ended sessions too, but only when someone signs in.
      const result = await count(
        db
          .deleteFrom('console_sessions')
          .where('id_hash', 'in', (eb) =>
            eb
              .selectFrom('console_sessions')
              .select('id_hash')
              .where((inner) =>
                inner.or([
                  inner('expires_at', '<=', now),
                  inner('last_seen_at', '<=', now - consoleSessionPolicy.idleMs),
                ]),
              )
              .limit(batchSize),
          )
          .execute(),
      );
      return deleted(result);
    },

    async rate_windows() {
      // An ended window counts as none; the limiters delete them too, but only while they count.
      const result = await count(
        db
          .deleteFrom('rate_windows')
          .where('key', 'in', (eb) =>
            eb.selectFrom('rate_windows').select('key').where('ends_at', '<=', now).limit(batchSize),
          )
          .execute(),
      );
      return deleted(result);
    },

    async leases() {
      // An expired lease is a free one (`acquireLease` takes it or inserts it anew); a day's grace.
      const cutoff = now - retentionPeriods.expiredLeaseDays * dayMs;
      const result = await count(
        db
          .deleteFrom('leases')
          .where('name', 'in', (eb) =>
            eb.selectFrom('leases').select('name').where('expires_at', '<', cutoff).limit(batchSize),
          )
          .execute(),
      );
      return deleted(result);
    },
  };

  const removed = Object.fromEntries(Object.keys(batches).map((target) => [target, 0])) as Record<
    RetentionTarget,
    number
  >;
  const pending = new Set(Object.keys(batches) as RetentionTarget[]);
  while (pending.size > 0 && statements < budget) {
    for (const target of [...pending]) {
      if (statements >= budget) break;
      const rows = await batches[target]();
      removed[target] += rows;
      if (rows < batchSize) pending.delete(target);
    }
  }

  if (bodiesReached !== undefined) {
    const position = bodiesReached;
    await count(
      db
        .insertInto('connector_cursors')
        .values({ name: bodyCursor, position, updated_at: now })
        .onConflict((conflict) => conflict.column('name').doUpdateSet({ position, updated_at: now }))
        .execute(),
    );
  }
  return { removed, statements, unfinished: pending.size > 0 };
}
