import type { Insertable } from 'kysely';
import { enqueue } from '../jobs/queue.ts';
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
 * Commits webhook receipts in groups: the receipts that arrive while one commit is running share the
 * next one. Each caller still learns the outcome of its own receipt only after the commit that holds
 * it, so nothing is acknowledged before it is durable, but one fsync serves many deliveries.
 * A failed group is retried one receipt at a time, so one bad receipt cannot fail its neighbours.
 *
 * @example
 * const stored = await writer.write({ row, process: true }); // false: a duplicate, nothing written
 */
export function createReceiptWriter(store: Store, maxBatch = 128) {
  const queue: Pending[] = [];
  let scheduled = false;

  async function commit(batch: Pending[]): Promise<boolean[]> {
    return store.db.transaction().execute(async (trx) => {
      const stored: boolean[] = [];
      for (const item of batch) {
        const row = await trx
          .insertInto('webhook_receipts')
          .values(item.row)
          .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (row && item.process) {
          await enqueue(trx, { ...receiptJob, payload: { receiptId: item.row.id } }, item.row.received_at);
        }
        stored.push(row !== undefined);
      }
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
    scheduled = false;
  }

  return {
    /** Resolves true when the receipt was committed, false when its dedupe key was already stored. */
    write(receipt: ReceiptWrite): Promise<boolean> {
      return new Promise((resolve, reject) => {
        queue.push({ ...receipt, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // After the I/O already waiting: deliveries that arrived meanwhile join this commit.
          setImmediate(() => void flush());
        }
      });
    },
  };
}

export type ReceiptWriter = ReturnType<typeof createReceiptWriter>;
