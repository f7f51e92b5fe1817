import { sql, type Insertable, type Kysely } from 'kysely';
import { afterPendingIo } from '../shared/timers.ts';
import { newJobRow } from '../jobs/queue.ts';
import type { Statement, Store } from '../store/db.ts';
import type { Database, WebhookReceiptsTable } from '../store/schema.ts';

/** The job that processes a stored receipt. */
export const receiptJob = { lane: 'webhooks', kind: 'process-receipt' } as const;

/**
 * A receipt to commit, and the job that processes it (none for a receipt kept only for audit). The job's
 * payload is `{ receiptId }` and whatever `payload` adds.
 */
export interface ReceiptWrite {
  row: Insertable<WebhookReceiptsTable> & { id: string; received_at: number };
  job: { lane: string; kind: string; payload?: Record<string, unknown>; maxAttempts?: number } | undefined;
  /** `performance.now()` when the intake began to read the delivery: its `intake_ms` runs from here to its commit. */
  startedAt?: number;
}

interface Pending extends ReceiptWrite {
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

const receiptColumns = [
  'id',
  'source',
  'subject',
  'dedupe_key',
  'event',
  'points_order_id',
  'raw_body',
  'status',
  'error',
  'received_at',
  'processed_at',
] as const;

/** Job columns, with the type Postgres needs spelled out where a `select` list gives it none. */
const jobColumns = [
  ['id'],
  ['lane'],
  ['kind'],
  ['payload'],
  ['state'],
  ['run_at', 'bigint'],
  ['attempts', 'integer'],
  ['max_attempts', 'integer'],
  ['created_at', 'bigint'],
  ['updated_at', 'bigint'],
] as const;

/**
 * The statements that store one receipt: the receipt unless its dedupe key is already stored, and its
 * processing job only if that receipt row now exists. This is the one write on the hot path, so the SQL is
 * compiled once (for the store's dialect) and each receipt only supplies the parameters, in column order.
 */
function receiptStatements(db: Kysely<Database>) {
  const parameters = (count: number) => sql.join(Array.from({ length: count }, () => null));
  const insertReceipt = sql`insert into webhook_receipts (${sql.join(receiptColumns.map((c) => sql.ref(c)))})
    values (${parameters(receiptColumns.length)})
    on conflict (dedupe_key) do nothing`.compile(db).sql;
  const jobValues = jobColumns.map(([, type]) =>
    type ? sql`cast(${null} as ${sql.raw(type)})` : sql`${null}`,
  );
  const insertJob = sql`insert into jobs (${sql.join(jobColumns.map(([c]) => sql.ref(c)))})
    select ${sql.join(jobValues)}
    where exists (select 1 from webhook_receipts where id = ${null})`.compile(db).sql;

  const setIntake = sql`update webhook_receipts set intake_ms = ${null} where id = ${null}`.compile(db).sql;
  const intakeStatement = (latency: { id: string; ms: number }): Statement => ({
    sql: setIntake,
    parameters: [latency.ms, latency.id],
  });

  const forReceipt = ({ row, job: kind }: ReceiptWrite): Statement[] => {
    const values = { ...row, source: row.source ?? 'points' };
    const receipt = {
      sql: insertReceipt,
      parameters: receiptColumns.map((column) => values[column] ?? null),
    };
    if (!kind) return [receipt];
    const job = newJobRow(
      {
        lane: kind.lane,
        kind: kind.kind,
        payload: { ...kind.payload, receiptId: row.id },
        ...(kind.maxAttempts ? { maxAttempts: kind.maxAttempts } : {}),
      },
      row.received_at,
    );
    return [receipt, { sql: insertJob, parameters: [...jobColumns.map(([column]) => job[column]), row.id] }];
  };
  return { forReceipt, intakeStatement };
}

/**
 * Commits webhook receipts in groups. When no commit is under way a receipt goes to the store at once;
 * while one is, the receipts that arrive in that turn of the event loop follow as one transaction, without
 * waiting for it (the SQLite thread commits all that wait together). Each caller learns the outcome of its
 * own receipt only after the commit that holds it, so nothing is acknowledged before it is durable, but one
 * fsync serves many deliveries. A failed group is retried one receipt at a time, so one bad receipt cannot
 * fail its neighbours.
 *
 * A receipt's `intake_ms` (from `startedAt` to its commit) is known only once it is committed, so it is
 * written with the next commit, or alone once no commit is under way: no extra commit while deliveries
 * keep coming. A measurement can be lost with a failed commit; a delivery never is.
 *
 * @example
 * const stored = await writer.write({ row, job: receiptJob }); // false: a duplicate, nothing written
 */
export function createReceiptWriter(store: Store) {
  let waiting: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;
  /** Intake times of committed receipts, not yet written. */
  let measured: Array<{ id: string; ms: number }> = [];
  const { forReceipt, intakeStatement } = receiptStatements(store.db);

  /** Whether each receipt of the group was stored (false: its dedupe key already was). */
  async function commit(group: Pending[]): Promise<boolean[]> {
    const statements = group.map(forReceipt);
    const latencies = measured.splice(0);
    const results = await store.runInTransaction([...statements.flat(), ...latencies.map(intakeStatement)]);
    let next = 0;
    return statements.map((forReceipt) => {
      const stored = results[next]!.numAffectedRows === 1n;
      next += forReceipt.length;
      return stored;
    });
  }

  /** Resolves a committed receipt, and notes its intake time when it was stored. */
  function committed(item: Pending, stored: boolean): void {
    if (stored && item.startedAt !== undefined) {
      // Rounded up: an answer takes some time, and a chart bar of 0 would not show.
      measured.push({ id: item.row.id, ms: Math.ceil(performance.now() - item.startedAt) });
    }
    item.resolve(stored);
  }

  async function flush(group: Pending[]): Promise<void> {
    inFlight++;
    try {
      const stored = await commit(group);
      group.forEach((item, index) => committed(item, stored[index]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      await Promise.all(
        group.map((item) =>
          commit([item]).then(
            ([stored]) => committed(item, stored!),
            (single: unknown) => item.reject(single),
          ),
        ),
      );
    } finally {
      inFlight--;
      writeMeasuredWhenIdle();
    }
  }

  /** The intake times no commit took along, once none is under way or about to be. */
  function writeMeasuredWhenIdle(): void {
    if (inFlight > 0 || scheduled || measured.length === 0) return;
    const latencies = measured;
    measured = [];
    inFlight++;
    void store
      .runInTransaction(latencies.map(intakeStatement))
      // Only measurements are lost: the console's chart misses them.
      .catch(() => undefined)
      .finally(() => {
        inFlight--;
        writeMeasuredWhenIdle();
      });
  }

  function sendWaiting(): void {
    scheduled = false;
    const group = waiting;
    waiting = [];
    void flush(group);
  }

  return {
    /** Resolves true when the receipt was committed, false when its dedupe key was already stored. */
    write(receipt: ReceiptWrite): Promise<boolean> {
      return new Promise((resolve, reject) => {
        waiting.push({ ...receipt, resolve, reject });
        if (scheduled) return;
        if (inFlight === 0) return sendWaiting();
        // After the I/O already waiting: deliveries read in this turn of the event loop join this group.
        scheduled = true;
        afterPendingIo(sendWaiting);
      });
    },
  };
}

export type ReceiptWriter = ReturnType<typeof createReceiptWriter>;
