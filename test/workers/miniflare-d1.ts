import { Miniflare } from 'miniflare';
import type { D1Database } from '../../server/store/d1-dialect.ts';
import { openD1Store } from '../../server/store/d1-store.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import type { Store } from '../../server/store/db.ts';

/** A fresh local D1 database in real workerd (Miniflare), and how to stop it. */
export async function startD1(): Promise<{ d1: D1Database; dispose: () => Promise<void> }> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response("ok"); } };',
    d1Databases: ['DB'],
  });
  const d1 = (await mf.getD1Database('DB')) as unknown as D1Database;
  return { d1, dispose: () => mf.dispose() };
}

/** Our store over a fresh, migrated D1 database; closing it stops workerd (once: tests may close twice). */
export async function freshD1Store(): Promise<Store> {
  const { d1, dispose } = await startD1();
  const store = openD1Store(d1);
  await migrateToLatest(store);
  let closed: Promise<void> | undefined;
  return {
    ...store,
    close() {
      closed ??= store.close().then(dispose);
      return closed;
    },
  };
}

/** Two stores over one fresh, migrated D1 database, as two isolates have; closing stops workerd. */
export async function sharedD1Stores(): Promise<{ first: Store; second: Store; close: () => Promise<void> }> {
  const { d1, dispose } = await startD1();
  const first = openD1Store(d1);
  await migrateToLatest(first);
  const second = openD1Store(d1);
  return {
    first,
    second,
    async close() {
      await Promise.all([first.close(), second.close()]);
      await dispose();
    },
  };
}
