import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openD1Store } from '../../server/store/d1-store.ts';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import type { Store } from '../../server/store/db.ts';
import { migrationSqlFiles } from '../../server/store/migration-sql.ts';
import { migrateToLatest, migrationNames, pendingMigrations } from '../../server/store/migrations.ts';
import { startD1 } from './miniflare-d1.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyD1() {
  const started = await startD1();
  cleanups.push(started.dispose);
  return started;
}

/** Each table's columns with type, nullability and default, as SQLite itself describes them. */
async function schemaOf(store: Store) {
  const tables = await store.db.introspection.getTables();
  return Object.fromEntries(
    tables.map((table) => [
      table.name,
      table.columns.map(
        (column) => `${column.name} ${column.dataType} ${column.isNullable ? 'null' : 'not null'}`,
      ),
    ]),
  );
}

describe('migrations on D1', () => {
  it('bring a fresh database to the latest schema, the same one node:sqlite gets', async () => {
    const store = openD1Store((await emptyD1()).d1);
    const result = await migrateToLatest(store);
    expect(result.results?.map((item) => [item.migrationName, item.status])).toEqual(
      migrationNames.map((name) => [name, 'Success']),
    );
    expect(await pendingMigrations(store)).toEqual([]);

    const sqlite = await openDatabase('sqlite::memory:');
    cleanups.push(() => sqlite.close());
    await migrateToLatest(sqlite);
    expect(await schemaOf(store)).toEqual(await schemaOf(sqlite));
    const indexes = (db: Store) =>
      sql<{
        name: string;
      }>`select name from sqlite_master where type = 'index' and sql is not null order by name`
        .execute(db.db)
        .then((answer) => answer.rows.map((row) => row.name));
    expect(await indexes(store)).toEqual(await indexes(sqlite));
  });

  it('do nothing when the schema is already at the latest', async () => {
    const store = openD1Store((await emptyD1()).d1);
    await migrateToLatest(store);
    const again = await migrateToLatest(store);
    expect(again.results).toEqual([]);
  });

  it('commit every pending migration in one batch, so a failing one leaves none applied', async () => {
    const { d1 } = await emptyD1();
    const store = openD1Store(d1);
    // A table in the way of the last migration's: its create fails at commit, and the batch with it.
    await d1.prepare('create table connector_cursors (name text)').run();
    await expect(migrateToLatest(store)).rejects.toThrow(
      // At commit, after each migration's statements were taken: no one migration is named as the failed one.
      /Migration unknown failed: D1_ERROR: table "connector_cursors" already exists/,
    );
    const tables = (await store.db.introspection.getTables()).map((table) => table.name);
    expect(tables).toEqual(['connector_cursors', 'points_migrations', 'points_migrations_lock']);
    expect(await pendingMigrations(store)).toEqual(migrationNames);
  });

  it('are safe from two runners at once: one applies them, the other fails whole and changes nothing', async () => {
    const { d1 } = await emptyD1();
    const outcomes = await Promise.allSettled([
      migrateToLatest(openD1Store(d1)),
      migrateToLatest(openD1Store(d1)),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    const store = openD1Store(d1);
    expect(await pendingMigrations(store)).toEqual([]);
    const applied = await sql<{ name: string }>`select name from points_migrations order by name`.execute(
      store.db,
    );
    expect(applied.rows.map((row) => row.name)).toEqual(migrationNames);
  });
});

describe('the migrations as SQL files (for wrangler d1 migrations apply)', () => {
  /** Every index's name and SQL, and every table's: the whole schema as SQLite holds it. */
  const schemaText = (store: Store) =>
    sql<{
      type: string;
      name: string;
      sql: string;
    }>`select type, name, sql from sqlite_master where sql is not null and name not like '_cf_%' order by name`
      .execute(store.db)
      .then((answer) => answer.rows);

  it('are one file per migration, each recording itself, and give D1 the schema migrateToLatest gives', async () => {
    const files = await migrationSqlFiles();
    expect(files.map((file) => file.name)).toEqual(migrationNames);
    for (const file of files) {
      expect(file.sql).toContain(
        `insert into "points_migrations" ("name", "timestamp") values ('${file.name}',`,
      );
    }
    const { d1 } = await emptyD1();
    // One file at a time, as wrangler applies them.
    for (const file of files) await d1.batch(splitStatements(file.sql).map((text) => d1.prepare(text)));
    const applied = openD1Store(d1);
    expect(await pendingMigrations(applied)).toEqual([]);
    expect((await migrateToLatest(applied)).results).toEqual([]);

    const migrated = openD1Store((await emptyD1()).d1);
    await migrateToLatest(migrated);
    expect(await schemaText(applied)).toEqual(await schemaText(migrated));
  });

  it("upgrade a D1 database at 0009 with named operators: its sessions end, its audit lines are admin's", async () => {
    const files = await migrationSqlFiles();
    const operators = files.findIndex((file) => file.name === '0012_console_operators');
    expect(operators).toBeGreaterThan(0);
    const { d1 } = await emptyD1();
    for (const file of files.slice(0, operators))
      await d1.batch(splitStatements(file.sql).map((text) => d1.prepare(text)));
    await d1
      .prepare(
        "insert into console_sessions (id_hash, created_at, last_seen_at, expires_at) values ('old-hash', 1, 1, 2)",
      )
      .run();
    await d1
      .prepare(
        "insert into console_audit (id, at, operator, action, result) values ('a1', 1, 'session abcd1234', 'refund', 'done')",
      )
      .run();
    await d1.batch(splitStatements(files[operators]!.sql).map((text) => d1.prepare(text)));
    const store = openD1Store(d1);
    expect(await pendingMigrations(store)).toEqual(migrationNames.slice(operators + 1));
    expect(await store.db.selectFrom('console_sessions').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('console_audit').select(['operator', 'session']).execute()).toEqual([
      { operator: 'admin', session: 'session abcd1234' },
    ]);
  });

  it('agree with migrateToLatest on what is applied: after three files it applies the rest, none twice', async () => {
    const files = await migrationSqlFiles();
    const { d1 } = await emptyD1();
    for (const file of files.slice(0, 3))
      await d1.batch(splitStatements(file.sql).map((text) => d1.prepare(text)));
    const store = openD1Store(d1);
    expect(await pendingMigrations(store)).toEqual(migrationNames.slice(3));
    const rest = await migrateToLatest(store);
    expect(rest.results?.map((item) => item.migrationName)).toEqual(migrationNames.slice(3));
  });
});

/** A SQL file's statements: ours end each with `;` at the end of a line, and comments are whole lines. */
function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('--'))
    .join('\n')
    .split(/;\n/)
    .map((statement) => statement.trim().replace(/;$/, ''))
    .filter(Boolean);
}
