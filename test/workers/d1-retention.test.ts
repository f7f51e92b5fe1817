import { describe, expect, it } from 'vitest';
import { sweepRetention } from '../../server/retention/retention-sweep.ts';
import type { D1Database } from '../../server/store/d1-dialect.ts';
import { createWorkerHandler } from '../../server/runtime/workers/worker.ts';
import { openD1Store } from '../../server/store/d1-store.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { timeOrderedId } from '../../server/store/time-ordered-id.ts';
import { retentionCases } from '../support/retention-cases.ts';
import { freshD1Store, startD1 } from './miniflare-d1.ts';

describe('the retention sweep on D1', () => {
  retentionCases(freshD1Store);

  it("spends D1 queries as it counts statements, within the free plan's 50 an invocation", async () => {
    const { d1, dispose } = await startD1();
    let queries = 0;
    const counted: D1Database = {
      prepare: (text) => {
        queries += 1;
        return d1.prepare(text);
      },
      batch: (statements) => d1.batch(statements),
    };
    const store = openD1Store(counted);
    try {
      await migrateToLatest(store);
      const now = Date.UTC(2027, 6, 1);
      const old = now - 200 * 86_400_000;
      const rows = Array.from({ length: 30 }, (_, i) => ({
        id: timeOrderedId(old + i),
        lane: 'notify',
        kind: 'notify-merchant',
        payload: '{}',
        state: 'done' as const,
        run_at: old,
        attempts: 1,
        max_attempts: 32,
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: old,
        updated_at: old,
      }));
      for (const row of rows) await store.db.insertInto('jobs').values(row).execute();

      queries = 0;
      const report = await sweepRetention({ store, now, webhookBodyDays: 30, auditDays: 365, batchSize: 2 });
      expect(report).toMatchObject({ statements: 20, unfinished: true });
      expect(queries).toBe(report.statements);
    } finally {
      await store.close();
      await dispose();
    }
  });

  it("runs in the Worker's cron: an old done job is gone after one scheduled event", async () => {
    const { d1, dispose } = await startD1();
    const store = openD1Store(d1);
    try {
      await migrateToLatest(store);
      const old = Date.now() - 200 * 86_400_000;
      const job = (id: string, state: 'done' | 'dead') => ({
        id,
        lane: 'notify',
        kind: 'notify-merchant',
        payload: '{}',
        state,
        run_at: old,
        attempts: 1,
        max_attempts: 32,
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: old,
        updated_at: old,
      });
      await store.db
        .insertInto('jobs')
        .values([job(timeOrderedId(old), 'done'), job(timeOrderedId(old + 1), 'dead')])
        .execute();
      const waits: Promise<unknown>[] = [];
      const env = {
        DB: d1,
        POINTS_PUBLIC_KEY: 'test_public_key',
        POINTS_PRIVATE_KEY: 'test_private_key',
        POINTS_WEBHOOK_SECRET: 'test_webhook_secret',
        LOG_LEVEL: 'silent',
      };
      const ctx = {
        waitUntil: (work: Promise<unknown>) => void waits.push(work),
        passThroughOnException() {},
        props: {},
      };
      await createWorkerHandler().scheduled(undefined, env, ctx);
      await Promise.all(waits);
      expect(await store.db.selectFrom('jobs').select('state').execute()).toEqual([{ state: 'dead' }]);
    } finally {
      await store.close();
      await dispose();
    }
  });
});
