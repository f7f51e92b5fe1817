import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import type { Store } from '../../server/store/db.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { freshD1Store } from '../workers/miniflare-d1.ts';
import type { SharedDatabase } from './rate-limiter-cases.ts';

/** Engines every storage test runs on: SQLite always, Postgres too when TEST_DATABASE_URL is set. */
export const engines: Array<'sqlite' | 'postgres'> = process.env['TEST_DATABASE_URL']
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/** An engine a test can open a store on with {@link freshStore}. */
export type StoreEngine = Store['engine'];

/**
 * Engines of the storage suites that need only a store, not a database URL: {@link engines} and D1 (in
 * workerd, through Miniflare), unless `TEST_D1=0`.
 */
export const storeEngines: StoreEngine[] = process.env['TEST_D1'] === '0' ? engines : [...engines, 'd1'];

/** A database URL of its own for one test: a new SQLite file, or a new Postgres schema. */
export async function freshDatabaseUrl(engine: 'sqlite' | 'postgres'): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${join(mkdtempSync(join(tmpdir(), 'points-db-')), 'points.db')}`;
  const base = process.env['TEST_DATABASE_URL']!;
  const schema = `t_${crypto.randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Opens and migrates a fresh database for one test; closing it drops a Postgres schema again. */
export async function freshStore(engine: StoreEngine): Promise<Store> {
  if (engine === 'd1') return freshD1Store();
  const url = await freshDatabaseUrl(engine);
  const store = await openDatabase(url);
  await migrateToLatest(store);
  if (engine === 'sqlite') return store;
  return {
    ...store,
    async close() {
      await store.close();
      await dropTestSchema(url);
    },
  };
}

/** Drops the Postgres schema a {@link freshDatabaseUrl} made; nothing to do for SQLite files. */
export async function dropTestSchema(url: string): Promise<void> {
  const schema = /search_path=(t_\w+)/.exec(decodeURIComponent(url))?.[1];
  if (!schema) return;
  const client = new pg.Client({ connectionString: process.env['TEST_DATABASE_URL'] });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/**
 * Two handles on one fresh database, as two instances have: one SQLite file serves one process, so there
 * both are the same store; on Postgres two pools on one schema.
 */
export async function sharedDatabase(engine: 'sqlite' | 'postgres'): Promise<SharedDatabase> {
  if (engine === 'sqlite') {
    const store = await freshStore(engine);
    return { first: store, second: store, close: () => store.close() };
  }
  const url = await freshDatabaseUrl(engine);
  const first = await openDatabase(url);
  await migrateToLatest(first);
  const second = await openDatabase(url);
  return {
    first,
    second,
    async close() {
      await Promise.all([first.close(), second.close()]);
      await dropTestSchema(url);
    },
  };
}
