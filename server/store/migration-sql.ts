import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type CompiledQuery,
} from 'kysely';
import { migrations } from './migrations.ts';

/** The bookkeeping tables of our migrator (`migrations.ts`), as Kysely names them there. */
const migrationTable = 'points_migrations';
const migrationLockTable = 'points_migrations_lock';

/** A SQLite Kysely that runs nothing and keeps each statement's SQL. */
function recordingDatabase(): { db: Kysely<unknown>; statements: string[] } {
  const statements: string[] = [];
  const driver = new DummyDriver();
  driver.acquireConnection = async () => ({
    executeQuery: async (query: CompiledQuery) => {
      if (query.parameters.length > 0) throw new Error(`a migration binds parameters: ${query.sql}`);
      statements.push(query.sql);
      return { rows: [] };
    },
    streamQuery: () => {
      throw new Error('migrations do not stream');
    },
  });
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  return { db, statements };
}

/**
 * Every migration as a SQL file for `wrangler d1 migrations apply`: its statements, then its row in our
 * migrator's table, so `/readyz`, `doctor` and a later `migrateToLatest` see it applied. The first file
 * also creates that table and its lock exactly as Kysely's `Migrator` does. Same schema, whichever of the
 * two applied it.
 *
 * @example
 * for (const file of await migrationSqlFiles()) writeFileSync(`migrations/${file.name}.sql`, file.sql);
 */
export async function migrationSqlFiles(): Promise<Array<{ name: string; sql: string }>> {
  const files: Array<{ name: string; sql: string }> = [];
  for (const [index, [name, migration]] of Object.entries(migrations).entries()) {
    const { db, statements } = recordingDatabase();
    if (index === 0) await bookkeepingTables(db);
    await migration.up(db);
    const recorded = statements.map((statement) => `${statement};`);
    files.push({
      name,
      sql: [
        `-- ${name}: generated from server/store/migrations.ts by scripts/build-worker.ts; do not edit.`,
        ...recorded,
        `insert into "${migrationTable}" ("name", "timestamp") values ('${name}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`,
        '',
      ].join('\n'),
    });
  }
  return files;
}

async function bookkeepingTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable(migrationTable)
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
    .addColumn('timestamp', 'varchar(255)', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable(migrationLockTable)
    .ifNotExists()
    .addColumn('id', 'varchar(255)', (col) => col.notNull().primaryKey())
    .addColumn('is_locked', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`insert into ${sql.table(migrationLockTable)} ("id", "is_locked") values ('migration_lock', 0) on conflict do nothing`.execute(
    db,
  );
}
