import { sql, type CompiledQuery, type Insertable } from 'kysely';
import { newJobRow } from '../jobs/queue.ts';
import type { Store } from '../store/db.ts';
import type { WebhookReceiptsTable } from '../store/schema.ts';

/** The job that processes a stored receipt. */
export const receiptJob = { lane: 'webhooks', kind: 'process-receipt' } as const;

/** A receipt to commit, and whether a processing job goes with it. */
export interface ReceiptWrite {
  row: Insertable<WebhookReceiptsTable> & { id: string; received_at: number };
  process: boolean;
}

interface Pending extends ReceiptWrite {
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * The statements that store one receipt: the receipt unless its dedupe key is already stored, and its
 * processing job only if that receipt row now exists. Written as plain SQL, not built, because this is
 * the one write on the hot path; `cast` gives Postgres the column types a `select` list lacks.
 */
function receiptStatements(store: Store, { row, process }: ReceiptWrite): CompiledQuery[] {
  const insertReceipt = sql`insert into webhook_receipts
      (id, dedupe_key, event, points_order_id, raw_body, status, error, received_at, processed_at)
    values (${row.id}, ${row.dedupe_key ?? null}, ${row.event}, ${row.points_order_id ?? null}, ${row.raw_body},
      ${row.status}, ${row.error ?? null}, ${row.received_at}, ${row.processed_at ?? null})
    on conflict (dedupe_key) do nothing`.compile(store.db);
  if (!process) return [insertReceipt];
  const job = newJobRow({ ...receiptJob, payload: { receiptId: row.id } }, row.received_at);
  const insertJob = sql`insert into jobs
      (id, lane, kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at)
    select ${job.id}, ${job.lane}, ${job.kind}, ${job.payload}, ${job.state}, cast(${job.run_at} as bigint),
      cast(${job.attempts} as integer), cast(${job.max_attempts} as integer),
      cast(${job.created_at} as bigint), cast(${job.updated_at} as bigint)
    where exists (select 1 from webhook_receipts where id = ${row.id})`.compile(store.db);
  return [insertReceipt, insertJob];
}

/**
 * Commits webhook receipts in groups: the receipts that arrive while one commit is running share the
 * next one. Each caller still learns the outcome of its own receipt only after the commit that holds
 * it, so nothing is acknowledged before it is durable, but one fsync serves many deliveries.
 * A failed group is retried one receipt at a time, so one bad receipt cannot fail its neighbours.
 *
 * @example
 * const stored = await writer.write({ row, process: true }); // false: a duplicate, nothing written
 */
export function createReceiptWriter(store: Store, maxBatch = 256) {
  const queue: Pending[] = [];
  let flushing = false;

  /** Whether each receipt of the batch was stored (false: its dedupe key already was). */
  async function commit(batch: Pending[]): Promise<boolean[]> {
    const statements = batch.map((item) => receiptStatements(store, item));
    const results = await store.runInTransaction(statements.flat());
    let next = 0;
    return statements.map((forReceipt) => {
      const stored = results[next]!.numAffectedRows === 1n;
      next += forReceipt.length;
      return stored;
    });
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const stored = await commit(batch);
        batch.forEach((item, index) => item.resolve(stored[index]!));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        for (const item of batch) {
          await commit([item]).then(
            ([stored]) => item.resolve(stored!),
            (single: unknown) => item.reject(single),
          );
        }
      }
    }
    flushing = false;
  }

  return {
    /** Resolves true when the receipt was committed, false when its dedupe key was already stored. */
    write(receipt: ReceiptWrite): Promise<boolean> {
      return new Promise((resolve, reject) => {
        queue.push({ ...receipt, resolve, reject });
        if (!flushing) {
          flushing = true;
          // After the I/O already waiting: deliveries that arrived meanwhile join this commit, and those
          // that arrive while it runs share the next one.
          setImmediate(() => void flush());
        }
      });
    },
  };
}

export type ReceiptWriter = ReturnType<typeof createReceiptWriter>;
