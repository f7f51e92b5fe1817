import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/db.ts';
import { createReceiptWriter } from '../../server/webhooks/receipt-writer.ts';
import { receiptWrite } from '../support/receipts.ts';
import { engines, freshStore } from '../support/databases.ts';

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

describe.each(engines)('receipt writer on %s', (engine) => {
  it('sends the first receipt at once and those arriving meanwhile together, each with its job', async () => {
    const store = await freshStore(engine);
    stores.push(store);
    let transactions = 0;
    const runInTransaction = store.runInTransaction.bind(store);
    store.runInTransaction = (statements) => {
      transactions++;
      return runInTransaction(statements);
    };
    const writer = createReceiptWriter(store);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => writer.write(receiptWrite(`r${i}`, `key-${i % 40}`))),
    );
    expect(results.filter(Boolean)).toHaveLength(40);
    expect(results.slice(40).every((stored) => !stored)).toBe(true);
    expect(transactions).toBe(2); // the first alone, the other 49 in one transaction while it commits
    const jobs = await store.db.selectFrom('jobs').select('id').execute();
    expect(jobs).toHaveLength(40);
  });

  it('one bad receipt fails alone; its neighbours are still stored', async () => {
    const store = await freshStore(engine);
    stores.push(store);
    const writer = createReceiptWriter(store);
    await writer.write(receiptWrite('taken', 'first'));
    const outcomes = await Promise.allSettled([
      writer.write(receiptWrite('a', 'k-a')), // sent at once; the next three share one transaction
      writer.write(receiptWrite('b', 'k-b')),
      writer.write(receiptWrite('taken', 'k-taken')), // primary key already used: this insert fails
      writer.write(receiptWrite('c', 'k-c')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const ids = (await store.db.selectFrom('webhook_receipts').select('id').execute())
      .map((row) => row.id)
      .sort();
    expect(ids).toEqual(['a', 'b', 'c', 'taken']);
  });
});
