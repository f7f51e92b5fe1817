import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseLockedError, openDatabase } from '../../server/runtime/node/store/open-database.ts';
import {
  migrateToLatest,
  migrationNames,
  migrations,
  pendingMigrations,
} from '../../server/store/migrations.ts';
import type { Database } from '../../server/store/schema.ts';
import type { GroupCommit, Store } from '../../server/store/db.ts';
import { dropTestSchema, engines, freshDatabaseUrl } from '../support/databases.ts';

const open: Store[] = [];
const urls: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
  await Promise.all(urls.splice(0).map(dropTestSchema));
});

function track(store: Store): Store {
  open.push(store);
  return store;
}

/** Back to the schema of migration `name`, newest first by each later migration's own down; returns those undone. */
async function rollBackTo(store: Store, name: string): Promise<string[]> {
  const since = migrationNames.slice(migrationNames.indexOf(name) + 1);
  for (const later of [...since].reverse()) {
    await migrations[later]!.down!(store.db as Kysely<unknown>);
    await store.db.deleteFrom('points_migrations').where('name', '=', later).execute();
  }
  return since;
}

async function databaseUrl(engine: 'sqlite' | 'postgres'): Promise<string> {
  const url = await freshDatabaseUrl(engine);
  urls.push(url);
  return url;
}

describe.each(engines)('store on %s', (engine) => {
  it('migrates to the latest schema, and a second run is a no-op', async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    expect(await pendingMigrations(store)).toEqual(migrationNames);
    await migrateToLatest(store);
    expect(await pendingMigrations(store)).toEqual([]);
    const again = await migrateToLatest(store);
    expect(again.results).toEqual([]);
  });

  it('upgrades a database of the previous release (0.1.0, at 0007) with every migration since', async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    await migrateToLatest(store);
    const since = await rollBackTo(store, '0007_console_sessions');
    expect(since).toContain('0009_console_audit');
    expect(await pendingMigrations(store)).toEqual(since);
    const upgraded = await migrateToLatest(store);
    expect(upgraded.results?.map((item) => [item.migrationName, item.status])).toEqual(
      since.map((name) => [name, 'Success']),
    );
    expect(await store.db.selectFrom('console_audit').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('rate_windows').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('alerts').selectAll().execute()).toEqual([]);
  });

  it('upgrades a database at 0010 with the intake times: its receipts kept, untimed', async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    await migrateToLatest(store);
    const since = await rollBackTo(store, '0010_alerts');
    expect(since[0]).toBe('0011_intake_latency');
    await sql`insert into webhook_receipts (id, source, dedupe_key, event, raw_body, status, received_at)
      values ('old', 'points', 'k-old', 'approved', '{}', 'processed', 1000)`.execute(store.db);
    expect(await pendingMigrations(store)).toEqual(since);
    await migrateToLatest(store);
    const row = await store.db
      .selectFrom('webhook_receipts')
      .select(['id', 'intake_ms'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 'old', intake_ms: null });
  });

  it("upgrades a database at 0009 with named operators: its sessions end, its audit lines are admin's", async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    await migrateToLatest(store);
    const since = await rollBackTo(store, '0011_intake_latency');
    expect(since[0]).toBe('0012_console_operators');
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    // Rows as the previous version wrote them (no operator columns yet).
    await sql`insert into console_sessions (id_hash, created_at, last_seen_at, expires_at)
      values ('old-session-hash', ${now}, ${now}, ${now + 3_600_000})`.execute(store.db);
    await sql`insert into console_audit (id, at, operator, action, subject, request, result, detail)
      values ('audit-1', ${now}, 'session abcd1234', 'refund', 'ORD-1', null, 'done', null)`.execute(
      store.db,
    );
    expect(await pendingMigrations(store)).toEqual(since);
    await migrateToLatest(store);
    expect(await store.db.selectFrom('console_sessions').selectAll().execute()).toEqual([]);
    expect(
      await store.db.selectFrom('console_audit').select(['operator', 'session', 'action']).execute(),
    ).toEqual([{ operator: 'admin', session: 'session abcd1234', action: 'refund' }]);
  });

  it('round-trips an order with bigint money and times as numbers', async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    await migrateToLatest(store);
    const now = Date.UTC(2026, 10, 21, 12, 0, 0);
    await store.db
      .insertInto('orders')
      .values({
        order_number: 'ORD-1',
        type: 'replacing',
        state: 'pending',
        points_uuid: null,
        reference_number: null,
        points_status: null,
        points_updated_at: null,
        shipping_status: null,
        expected_total_halalas: 19_999,
        settled_total_halalas: null,
        refunded_halalas: 0,
        total_points: null,
        checkout_url: 'http://127.0.0.1:4010/session/abc',
        checkout_expires_at: now + 3_600_000,
        details: '{}',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const row = await store.db
      .selectFrom('orders')
      .selectAll()
      .where('order_number', '=', 'ORD-1')
      .executeTakeFirstOrThrow();
    expect(row.expected_total_halalas).toBe(19_999);
    expect(row.created_at).toBe(now);
    expect(typeof row.checkout_expires_at).toBe('number');
  });

  it('enforces unique webhook dedupe keys', async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    await migrateToLatest(store);
    const receipt = {
      dedupe_key: 'k1',
      event: 'approved',
      points_order_id: null,
      raw_body: '{}',
      status: 'received' as const,
      error: null,
      received_at: 1,
      processed_at: null,
    };
    await store.db
      .insertInto('webhook_receipts')
      .values({ id: 'a', ...receipt })
      .execute();
    await expect(
      store.db
        .insertInto('webhook_receipts')
        .values({ id: 'b', ...receipt })
        .execute(),
    ).rejects.toThrow();
  });

  it('runs compiled statements in one transaction: all of them, or none when one fails', async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    await migrateToLatest(store);
    const lease = (name: string) =>
      sql`insert into leases (name, holder, expires_at) values (${name}, ${'me'}, ${1})`.compile(store.db);
    const results = await store.runInTransaction([lease('a'), lease('b')]);
    expect(results.map((result) => result.numAffectedRows)).toEqual([1n, 1n]);
    await expect(store.runInTransaction([lease('c'), lease('a')])).rejects.toThrow(/unique|duplicate/i);
    const names = await store.db.selectFrom('leases').select('name').orderBy('name').execute();
    expect(names.map((row) => row.name)).toEqual(['a', 'b']);
  });

  it('commits concurrent transactions each on its own, outside a Kysely transaction open meanwhile', async () => {
    const store = track(await openDatabase(await databaseUrl(engine)));
    await migrateToLatest(store);
    const lease = (name: string) =>
      sql`insert into leases (name, holder, expires_at) values (${name}, ${'me'}, ${1})`.compile(store.db);
    await store.runInTransaction([lease('taken')]);
    const commits: GroupCommit[] = [];
    store.observeCommits?.((commit) => commits.push(commit));

    let sent: Array<Promise<unknown>> = [];
    const rolledBack = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('leases').values({ name: 'in-trx', holder: 'me', expires_at: 1 }).execute();
      // On SQLite these reach the thread while the transaction above is open there: they must wait for it.
      sent = [
        store.runInTransaction([lease('a1'), lease('a2')]),
        store.runInTransaction([lease('b1'), lease('taken')]),
        store.runInTransaction([lease('c1')]),
      ];
      await trx.insertInto('leases').values({ name: 'in-trx-2', holder: 'me', expires_at: 1 }).execute();
      throw new Error('roll this one back');
    });
    await expect(rolledBack).rejects.toThrow('roll this one back');

    const outcomes = await Promise.allSettled(sent);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/unique|duplicate/i);
    const names = await store.db.selectFrom('leases').select('name').orderBy('name').execute();
    expect(names.map((row) => row.name)).toEqual(['a1', 'a2', 'c1', 'taken']);
    if (engine === 'sqlite') {
      // The three waited for the open transaction, then shared one commit (one fsync), reported for metrics.
      expect(commits).toEqual([{ transactions: 3, seconds: expect.any(Number) }]);
      expect(commits[0]!.seconds).toBeGreaterThan(0);
    } else {
      expect(store.observeCommits).toBeUndefined();
    }
  });
});

describe.runIf(engines.includes('postgres'))('Postgres schemas side by side', () => {
  it('migrates and checks its own schema while other schemas are created and dropped', async () => {
    const other = new pg.Client({ connectionString: process.env['TEST_DATABASE_URL'] });
    await other.connect();
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        const schema = `t_churn_${process.pid}_${i}`;
        await other.query(
          `create schema ${schema}; create table ${schema}.earnings (key text primary key, a bigint)`,
        );
        await other.query(`drop schema ${schema} cascade`);
      }
    })();
    try {
      const store = track(await openDatabase(await databaseUrl('postgres')));
      await migrateToLatest(store);
      for (let i = 0; i < 200; i++) expect(await pendingMigrations(store)).toEqual([]);
    } finally {
      churning = false;
      await churn;
      await other.end();
    }
  });
});

describe('SQLite thread', () => {
  it('keeps SQLite error codes across the thread, and refuses work once closed', async () => {
    const store = await openDatabase('sqlite::memory:');
    const failure = await sql`select * from no_such_table`.execute(store.db).catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: expect.stringMatching(/no such table/), errcode: 1 });
    await store.close();
    await expect(sql`select 1`.execute(store.db)).rejects.toThrow(/destroyed|stopped/);
  });

  it('does not keep the process alive once its work is done', () => {
    const script = `import { openDatabase } from './server/runtime/node/store/open-database.ts';
      import { sql } from 'kysely';
      const store = await openDatabase('sqlite::memory:');
      console.log((await sql\`select 41 + 1 as n\`.execute(store.db)).rows[0].n);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(child.stdout.trim()).toBe('42');
    expect(child.status).toBe(0);
  });
});

describe('SQLite file lock', () => {
  it('refuses a second open of the same file in this process', async () => {
    const url = await freshDatabaseUrl('sqlite');
    track(await openDatabase(url));
    await expect(openDatabase(url)).rejects.toThrow(DatabaseLockedError);
  });

  it('refuses a second process, and frees the file when the first one closes', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const first = await openDatabase(url);
    const script = `import { openDatabase } from './server/runtime/node/store/open-database.ts';
      try { await openDatabase(${JSON.stringify(url)}); console.log('opened'); } catch (e) { console.log(e.name); }`;
    const run = () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout.trim();
    expect(run()).toBe('DatabaseLockedError');
    await first.close();
    expect(run()).toBe('opened');
  });

  it('leaves the database readable by other connections while it runs (online backup), beside its lock file', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const path = url.slice('sqlite:'.length);
    const store = track(await openDatabase(url));
    await migrateToLatest(store);
    await store.db.insertInto('leases').values({ name: 'live', holder: 'me', expires_at: 1 }).execute();
    const source = new DatabaseSync(path, { readOnly: true });
    const copy = join(dirname(path), 'backup.db');
    await backup(source, copy);
    source.close();
    const restored = new DatabaseSync(copy, { readOnly: true });
    expect(restored.prepare('select name from leases').all()).toEqual([{ name: 'live' }]);
    restored.close();
    expect(existsSync(`${path}-lock`)).toBe(true);
  });

  it('reads committed writes at once, and a transaction reads its own uncommitted ones', async () => {
    const store = track(await openDatabase(await freshDatabaseUrl('sqlite')));
    await migrateToLatest(store);
    const names = async (db: Kysely<Database> = store.db) =>
      (await db.selectFrom('leases').select('name').orderBy('name').execute()).map((row) => row.name);
    await store.db.insertInto('leases').values({ name: 'a', holder: 'me', expires_at: 1 }).execute();
    expect(await names()).toEqual(['a']);
    await store.runInTransaction([
      sql`insert into leases (name, holder, expires_at) values (${'b'}, ${'me'}, ${1})`.compile(store.db),
    ]);
    expect(await names()).toEqual(['a', 'b']);

    // Inside a transaction selects go to the thread (the main-thread reader would not see 'c' yet).
    const seenInside = await store.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('leases').values({ name: 'c', holder: 'me', expires_at: 1 }).execute();
        const seen = await names(trx);
        throw Object.assign(new Error('roll back'), { seen });
      })
      .catch((error: { seen: string[] }) => error.seen);
    expect(seenInside).toEqual(['a', 'b', 'c']);
    expect(await names()).toEqual(['a', 'b']);
  });

  it('rejects unknown database URLs', async () => {
    await expect(openDatabase('mysql://localhost/x')).rejects.toThrow(/sqlite: or postgres/);
  });
});
