import { describe } from 'vitest';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { dropTestSchema, engines, freshDatabaseUrl, freshStore } from '../support/databases.ts';
import { storeRateLimiterCases, type SharedDatabase } from '../support/rate-limiter-cases.ts';

/** Two handles on one database: one SQLite file serves one process, so there both are the same store. */
async function sharedDatabase(engine: 'sqlite' | 'postgres'): Promise<SharedDatabase> {
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

describe.each(engines)('the store-backed rate limiter on %s', (engine) => {
  storeRateLimiterCases(() => sharedDatabase(engine));
});
