import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimJobs, enqueue } from '../../server/jobs/queue.ts';
import { createLogger } from '../../server/observability/logger.ts';
import { startEdge, type RunningEdge } from '../../server/runtime/node/serve.ts';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { receiptJob } from '../../server/webhooks/receive-webhook.ts';

let running: RunningEdge | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('restart after a crash (SQLite)', () => {
  it('takes over the jobs the killed process was running at once, not after their 60 s lease', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-crash-'));
    const databaseUrl = `sqlite:${join(dir, 'points.db')}`;
    // What a process killed mid-job leaves: a job claimed by it, its lease a minute long.
    const before = await openDatabase(databaseUrl);
    await migrateToLatest(before);
    const killedAt = Date.now();
    await enqueue(before.db, { ...receiptJob, payload: { receiptId: 'gone' } }, killedAt);
    await claimJobs(before, {
      lanes: [receiptJob.lane],
      workerId: 'killed-worker',
      leaseMs: 60_000,
      limit: 1,
      now: killedAt,
    });
    await before.close();

    const lines: Array<Record<string, unknown>> = [];
    running = await startEdge({
      env: {
        POINTS_API_BASE_URL: 'http://127.0.0.1:9/api',
        POINTS_PUBLIC_KEY: 'test_public_key',
        POINTS_PRIVATE_KEY: 'test_private_key_restart',
        POINTS_WEBHOOK_SECRET: 'test_webhook_secret_restart',
        DATABASE_URL: databaseUrl,
        PORT: '0',
      },
      logger: createLogger({
        level: 'warn',
        destination: {
          write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
        },
      }),
    });

    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'took over the claims of a server process that had died', jobs: 1 }),
    );
    const db = running.edge.context.store.db;
    await expect
      .poll(async () => (await db.selectFrom('jobs').select(['locked_by', 'attempts']).execute())[0], {
        timeout: 5_000,
      })
      .toMatchObject({ attempts: 2 });
    const [job] = await db.selectFrom('jobs').select('locked_by').execute();
    expect(job!.locked_by).not.toBe('killed-worker');
  });
});
