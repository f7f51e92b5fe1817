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

  it('times each stored receipt from its start to its commit, written with the next commit or alone when idle', async () => {
    const store = await freshStore(engine);
    stores.push(store);
    const transactions: number[] = [];
    const runInTransaction = store.runInTransaction.bind(store);
    store.runInTransaction = (statements) => {
      transactions.push(statements.length);
      return runInTransaction(statements);
    };
    const writer = createReceiptWriter(store);
    const startedAt = performance.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        writer.write({ ...receiptWrite(`r${i}`, `key-${i % 25}`), startedAt }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(25);
    const timed = () =>
      store.db
        .selectFrom('webhook_receipts')
        .select(['id', 'intake_ms'])
        .where('intake_ms', 'is not', null)
        .execute();
    await expect.poll(async () => (await timed()).length).toBe(25);
    const elapsed = performance.now() - startedAt;
    for (const row of await timed()) expect(Number(row.intake_ms)).toBeLessThanOrEqual(Math.ceil(elapsed));
    // The two commits of the receipts, then one with the 25 measurements (an update each).
    expect(transactions.length).toBeLessThanOrEqual(3);
    expect(transactions.reduce((sum, count) => sum + count, 0)).toBe(30 * 2 + 25);
    // A receipt without a start is not timed, and costs no second commit.
    const before = transactions.length;
    await writer.write(receiptWrite('untimed', 'key-untimed'));
    expect(transactions.length).toBe(before + 1);
    const untimed = await store.db
      .selectFrom('webhook_receipts')
      .select('intake_ms')
      .where('id', '=', 'untimed')
      .executeTakeFirstOrThrow();
    expect(untimed.intake_ms).toBeNull();
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
