import { connectorDeliveryJob } from '../../server/connectors/process-delivery.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { notifyJob, notifyMaxAttempts, notifyRetryDelayMs } from '../../server/jobs/notify-merchant.ts';
import { jobHandlers, jobKinds, jobLanes, jobRetryDelayMs } from '../../server/jobs/registry.ts';
import type { Job } from '../../server/jobs/queue.ts';
import type { Store } from '../../server/store/db.ts';
import { createReceiptWriter, receiptJob } from '../../server/webhooks/receipt-writer.ts';
import { storeEngines, freshStore } from '../support/databases.ts';
import { receiptWrite } from '../support/receipts.ts';
import { createHarness, type Harness } from './edge-harness.ts';

let store: Store | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await store?.close();
  await harness?.close();
  store = harness = undefined;
});

function job(kind: string, attempts: number): Job {
  return { kind, attempts } as Job;
}

describe('job registry', () => {
  it('lists each job kind once, and the worker claims every lane of them', () => {
    const kinds = jobKinds.map((kind) => kind.kind);
    expect(kinds).toEqual([receiptJob.kind, connectorDeliveryJob.kind, notifyJob.kind]);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(jobLanes).toEqual([receiptJob.lane, connectorDeliveryJob.lane, notifyJob.lane]);
  });

  it("retries each kind by its own policy: receipts 1 s doubling to 5 min, notifications the merchants' day", () => {
    expect(jobRetryDelayMs(job(receiptJob.kind, 1))).toBeGreaterThanOrEqual(500);
    expect(jobRetryDelayMs(job(receiptJob.kind, 1))).toBeLessThanOrEqual(1_000);
    expect(jobRetryDelayMs(job(receiptJob.kind, 30))).toBeLessThanOrEqual(300_000);
    expect(jobRetryDelayMs(job(receiptJob.kind, 30))).toBeGreaterThanOrEqual(150_000);
    expect(jobRetryDelayMs(job(notifyJob.kind, 40))).toBeGreaterThanOrEqual(notifyRetryDelayMs(40, () => 0));
    expect(jobKinds.find((kind) => kind.kind === notifyJob.kind)?.maxAttempts).toBe(notifyMaxAttempts);
  });

  it('gives every kind a handler', async () => {
    harness = await createHarness('sqlite');
    const handlers = jobHandlers(harness.edge.context, {});
    expect(Object.keys(handlers)).toEqual(jobKinds.map((kind) => kind.kind));
  });
});

describe.each(storeEngines)('job registry on %s', (engine) => {
  it('matches the attempts the receipt writer stores with its jobs', async () => {
    store = await freshStore(engine);
    const writer = createReceiptWriter(store);
    await writer.write(receiptWrite('r1', 'k1'));
    const row = await store.db
      .selectFrom('jobs')
      .select(['kind', 'lane', 'max_attempts'])
      .executeTakeFirstOrThrow();
    const registered = jobKinds.find((kind) => kind.kind === row.kind);
    expect(registered).toMatchObject({ lane: row.lane, maxAttempts: row.max_attempts });
  });
});
