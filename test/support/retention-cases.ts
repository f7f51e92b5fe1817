import { afterEach, expect, it } from 'vitest';
import { sweepRetention, type RetentionOptions } from '../../server/retention/retention-sweep.ts';
import type { Store } from '../../server/store/db.ts';
import type { JobsTable, WebhookReceiptsTable } from '../../server/store/schema.ts';
import { timeOrderedId } from '../../server/store/time-ordered-id.ts';
import { createReceiptWriter, receiptJob } from '../../server/webhooks/receipt-writer.ts';

const day = 86_400_000;
const now = Date.UTC(2027, 6, 1);
const periods = { webhookBodyDays: 30, auditDays: 365 };

type Receipt = Partial<Omit<WebhookReceiptsTable, 'source'>> & { source?: string };

async function addReceipt(store: Store, at: number, fields: Receipt = {}): Promise<string> {
  const id = timeOrderedId(at);
  await store.db
    .insertInto('webhook_receipts')
    .values({
      id,
      source: 'points',
      dedupe_key: `key-${id}`,
      event: 'approved',
      points_order_id: null,
      subject: null,
      raw_body: '{"order":{"id":"x"}}',
      status: 'processed',
      error: null,
      received_at: at,
      processed_at: at,
      ...fields,
    })
    .execute();
  return id;
}

async function addJob(store: Store, at: number, state: JobsTable['state']): Promise<string> {
  const id = timeOrderedId(at);
  await store.db
    .insertInto('jobs')
    .values({
      id,
      lane: 'notify',
      kind: 'notify-merchant',
      payload: '{}',
      state,
      run_at: at,
      attempts: 1,
      max_attempts: 32,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

const ids = async (store: Store, table: 'webhook_receipts' | 'jobs' | 'console_audit' | 'alerts') =>
  (await store.db.selectFrom(table).select('id').orderBy('id').execute()).map((row) => row.id);

const sweep = (store: Store, options: Partial<RetentionOptions> = {}) =>
  sweepRetention({ store, now, ...periods, ...options });

/**
 * The retention sweep's cases, for each engine's test file (test/server on SQLite and Postgres,
 * test/workers on D1): call inside a `describe`.
 */
export function retentionCases(open: () => Promise<Store>): void {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('deletes what outlived its period and keeps what is younger, table by table', async () => {
    store = await open();
    const oldReceipt = await addReceipt(store, now - 181 * day);
    const youngReceipt = await addReceipt(store, now - 179 * day);
    const oldJob = await addJob(store, now - 181 * day, 'done');
    const youngJob = await addJob(store, now - 179 * day, 'done');
    for (const [at, id] of [
      [now - 366 * day, 'audit-old'],
      [now - 364 * day, 'audit-young'],
    ] as const) {
      await store.db
        .insertInto('console_audit')
        .values({
          id,
          at,
          operator: 'admin',
          session: 'session abcdefgh',
          action: 'sign_in',
          subject: null,
          request: null,
          result: 'done',
          detail: null,
        })
        .execute();
    }
    await store.db
      .insertInto('console_sessions')
      .values([
        {
          id_hash: 'ended',
          operator_name: 'admin',
          operator_role: 'manager',
          operator_proof: 'test-proof',
          created_at: now - 13 * 3600_000,
          last_seen_at: now - 3600_000,
          expires_at: now - 1,
        },
        {
          id_hash: 'idle',
          operator_name: 'admin',
          operator_role: 'manager',
          operator_proof: 'test-proof',
          created_at: now - 9 * 3600_000,
          last_seen_at: now - 8 * 3600_000,
          expires_at: now + 3 * 3600_000,
        },
        {
          id_hash: 'live',
          operator_name: 'admin',
          operator_role: 'manager',
          operator_proof: 'test-proof',
          created_at: now - 3600_000,
          last_seen_at: now - 60_000,
          expires_at: now + 11 * 3600_000,
        },
      ])
      .execute();
    await store.db
      .insertInto('rate_windows')
      .values([
        { key: 'checkouts:198.51.100.1', hits: 3, ends_at: now - 1 },
        { key: 'checkouts:198.51.100.2', hits: 1, ends_at: now + 30_000 },
      ])
      .execute();
    for (const [id, lastFired, openKind] of [
      ['alert-old', now - 181 * day, null],
      ['alert-young', now - 179 * day, 'dead_letter'],
    ] as const) {
      await store.db
        .insertInto('alerts')
        .values({
          id,
          kind: 'dead_letter',
          open_kind: openKind,
          count: 1,
          firings: 1,
          window_ms: 300_000,
          detail: null,
          first_fired_at: lastFired,
          last_fired_at: lastFired,
          posted_until: lastFired + 300_000,
          acknowledged_at: openKind ? null : lastFired + 1,
          acknowledged_by: openKind ? null : 'admin',
        })
        .execute();
    }
    await store.db
      .insertInto('leases')
      .values([
        { name: 'checkout:ORD-OLD', holder: 'h', expires_at: now - 2 * day },
        { name: 'order:ORD-RECENT', holder: 'h', expires_at: now - 3600_000 },
        { name: 'schedule:reconcile-full', holder: 'h', expires_at: now + 3600_000 },
      ])
      .execute();

    const report = await sweep(store);

    expect(await ids(store, 'webhook_receipts')).toEqual([youngReceipt]);
    expect(await ids(store, 'jobs')).toEqual([youngJob]);
    expect(await ids(store, 'console_audit')).toEqual(['audit-young']);
    expect(await ids(store, 'alerts')).toEqual(['alert-young']);
    const names = async (table: 'console_sessions' | 'rate_windows' | 'leases', column: string) =>
      (
        await store!.db
          .selectFrom(table)
          .select(column as never)
          .execute()
      ).map((row) => Object.values(row)[0]);
    expect(await names('console_sessions', 'id_hash')).toEqual(['live']);
    expect(await names('rate_windows', 'key')).toEqual(['checkouts:198.51.100.2']);
    expect((await names('leases', 'name')).sort()).toEqual(['order:ORD-RECENT', 'schedule:reconcile-full']);
    expect(report).toMatchObject({
      removed: {
        webhook_receipts: 1,
        jobs: 1,
        console_audit: 1,
        alerts: 1,
        console_sessions: 2,
        rate_windows: 1,
        leases: 1,
        // The young receipt (179 days) is past the body period: its body goes, its row stays.
        webhook_receipt_bodies: 1,
      },
      unfinished: false,
    });
    expect(oldReceipt < youngReceipt && oldJob < youngJob).toBe(true);
  });

  it('keeps dead, queued and running jobs and receipts still received, however old', async () => {
    store = await open();
    const old = now - 400 * day;
    const kept = [
      await addJob(store, old, 'dead'),
      await addJob(store, old + 1, 'queued'),
      await addJob(store, old + 2, 'running'),
    ];
    const waiting = await addReceipt(store, old, { status: 'received', processed_at: null });
    await sweep(store);
    expect(await ids(store, 'jobs')).toEqual(kept);
    expect(await store.db.selectFrom('webhook_receipts').select(['id', 'raw_body']).execute()).toEqual([
      { id: waiting, raw_body: '{"order":{"id":"x"}}' },
    ]);
  });

  it("clears processed bodies after the body period, keeping the row; Points' refund bodies stay whole", async () => {
    store = await open();
    const at = now - 31 * day;
    const processed = await addReceipt(store, at);
    const malformed = await addReceipt(store, at + 1, { status: 'malformed', processed_at: null });
    const platform = await addReceipt(store, at + 2, {
      source: 'shopify',
      event: 'orders/paid',
      subject: 'k',
    });
    const refund = await addReceipt(store, at + 3, {
      event: 'refunded',
      raw_body: '{"order":{"refund_amount":5}}',
    });
    const waiting = await addReceipt(store, at + 4, { status: 'received', processed_at: null });
    const young = await addReceipt(store, now - 29 * day);
    await sweep(store);
    const rows = await store.db
      .selectFrom('webhook_receipts')
      .select(['id', 'raw_body'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: processed, raw_body: '' },
      { id: malformed, raw_body: '' },
      { id: platform, raw_body: '' },
      { id: refund, raw_body: '{"order":{"refund_amount":5}}' },
      { id: waiting, raw_body: '{"order":{"id":"x"}}' },
      { id: young, raw_body: '{"order":{"id":"x"}}' },
    ]);
    // A longer period set later does not bring back the cursor, and clears nothing younger than it.
    expect((await sweep(store, { webhookBodyDays: 60 })).removed.webhook_receipt_bodies).toBe(0);
    expect((await sweep(store)).removed.webhook_receipt_bodies).toBe(0);
  });

  it('a redelivery of a receipt whose body was cleared is still a duplicate: no second receipt, no job', async () => {
    store = await open();
    const writer = createReceiptWriter(store);
    const at = now - 40 * day;
    const row = {
      id: timeOrderedId(at),
      dedupe_key: 'points:order-1:approved:2027-05-22T10:00:00Z',
      event: 'approved',
      points_order_id: 'order-1',
      raw_body: '{"order":{"id":"order-1"}}',
      status: 'received' as const,
      error: null,
      received_at: at,
      processed_at: null,
    };
    expect(await writer.write({ row, job: receiptJob })).toBe(true);
    await store.db.updateTable('webhook_receipts').set({ status: 'processed', processed_at: at }).execute();
    await store.db.updateTable('jobs').set({ state: 'done' }).execute();
    expect((await sweep(store)).removed.webhook_receipt_bodies).toBe(1);

    const again = { ...row, id: timeOrderedId(now), received_at: now };
    expect(await writer.write({ row: again, job: receiptJob })).toBe(false);
    expect(await store.db.selectFrom('webhook_receipts').select(['id', 'raw_body']).execute()).toEqual([
      { id: row.id, raw_body: '' },
    ]);
    expect(await store.db.selectFrom('jobs').select('state').execute()).toEqual([{ state: 'done' }]);
  });

  it('bounds a run: batches of batchSize, at most maxStatements statements; the rest goes next run', async () => {
    store = await open();
    for (let i = 0; i < 12; i++) await addJob(store, now - 200 * day + i, 'done');
    for (let i = 0; i < 5; i++) await addReceipt(store, now - 200 * day + i);
    const limits = { batchSize: 2, maxStatements: 12 };

    const first = await sweep(store, limits);
    expect(first.statements).toBe(12);
    expect(first.unfinished).toBe(true);
    // Two rows a statement, one statement of each target in turn: receipts 2 + 2, jobs 2 + 2.
    expect(first.removed).toMatchObject({ webhook_receipts: 4, jobs: 4 });
    expect(await ids(store, 'jobs')).toHaveLength(8);

    let runs = 1;
    let report = first;
    while (report.unfinished) {
      report = await sweep(store, limits);
      expect(report.statements).toBeLessThanOrEqual(12);
      runs += 1;
      expect(runs).toBeLessThan(20);
    }
    expect(await ids(store, 'jobs')).toEqual([]);
    expect(await ids(store, 'webhook_receipts')).toEqual([]);
    expect(runs).toBeGreaterThan(1);
  });

  it('never touches orders, earnings or connector orders', async () => {
    store = await open();
    const old = now - 1000 * day;
    await store.db
      .insertInto('orders')
      .values({
        order_number: 'ORD-1',
        type: 'replacing',
        state: 'confirmed',
        points_uuid: null,
        reference_number: null,
        points_status: null,
        points_updated_at: null,
        shipping_status: null,
        expected_total_halalas: 100,
        settled_total_halalas: 100,
        refunded_halalas: 0,
        total_points: 10,
        checkout_url: null,
        checkout_expires_at: old,
        callback_nonce_hashes: 'hash',
        details: '{}',
        created_at: old,
        updated_at: old,
        adopted_at: null,
      })
      .execute();
    await store.db
      .insertInto('earnings')
      .values({
        key: 'purchase:ORD-1',
        kind: 'purchase',
        reference: 'ORD-1',
        state: 'awarded',
        request: '{}',
        points_uuid: null,
        total_points: 10,
        pending_id: null,
        attempts: 1,
        last_error: null,
        created_at: old,
        updated_at: old,
      })
      .execute();
    await store.db
      .insertInto('connector_orders')
      .values({
        key: 'salla:1:2',
        platform: 'salla',
        store_id: '1',
        kind: 'order',
        reference: '2',
        facts: '{}',
        outcome: 'earned',
        reason: null,
        points_uuid: null,
        earned_halalas: 100,
        earned_points: 10,
        reversed_halalas: 0,
        deliveries: 1,
        last_delivery_at: old,
        created_at: old,
        updated_at: old,
      })
      .execute();
    await sweep(store);
    expect(
      await store.db.selectFrom('orders').select(['order_number', 'callback_nonce_hashes']).execute(),
    ).toEqual([{ order_number: 'ORD-1', callback_nonce_hashes: 'hash' }]);
    expect(await store.db.selectFrom('earnings').select('key').execute()).toHaveLength(1);
    expect(await store.db.selectFrom('connector_orders').select('key').execute()).toHaveLength(1);
  });

  it('an empty database: one statement a target, nothing removed', async () => {
    store = await open();
    const report = await sweep(store);
    expect(Object.values(report.removed).every((rows) => rows === 0)).toBe(true);
    // Eight targets, the body cursor read and its write.
    expect(report.statements).toBe(10);
  });
}
