import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { D1TransactionError } from '../../server/store/d1-dialect.ts';
import type { Store } from '../../server/store/db.ts';
import { freshD1Store } from './miniflare-d1.ts';

// One workerd for the file; each test starts from empty tables.
let store: Store;
beforeAll(async () => {
  store = await freshD1Store();
}, 30_000);
afterAll(() => store.close());
beforeEach(async () => {
  await store.db.deleteFrom('leases').execute();
  await store.db.deleteFrom('edge_keys').execute();
});

const epochMs = 1_767_225_600_000; // beyond 32 bits: D1 must keep it exact

async function keyNames(): Promise<string[]> {
  const rows = await store.db.selectFrom('edge_keys').select('name').orderBy('name').execute();
  return rows.map((row) => row.name);
}

describe('d1Dialect outside a transaction', () => {
  it('selects with bound parameters and keeps epoch milliseconds exact', async () => {
    await store.db.insertInto('leases').values({ name: 'a', holder: 'h', expires_at: epochMs }).execute();
    const row = await store.db
      .selectFrom('leases')
      .selectAll()
      .where('expires_at', '=', epochMs)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'a', holder: 'h', expires_at: epochMs });
  });

  it('returns the inserted and updated rows with RETURNING', async () => {
    const inserted = await store.db
      .insertInto('leases')
      .values({ name: 'r', holder: 'h', expires_at: 1 })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(inserted).toEqual({ name: 'r', holder: 'h', expires_at: 1 });
    const updated = await store.db
      .updateTable('leases')
      .set({ expires_at: 2 })
      .where('name', '=', 'r')
      .returning(['name', 'expires_at'])
      .execute();
    expect(updated).toEqual([{ name: 'r', expires_at: 2 }]);
  });

  it("counts an update's and a delete's affected rows, none when nothing matched", async () => {
    await store.db
      .insertInto('leases')
      .values([
        { name: 'x', holder: 'h', expires_at: 1 },
        { name: 'y', holder: 'h', expires_at: 1 },
      ])
      .execute();
    const both = await store.db.updateTable('leases').set({ expires_at: 5 }).executeTakeFirst();
    expect(both.numUpdatedRows).toBe(2n);
    const none = await store.db
      .updateTable('leases')
      .set({ expires_at: 6 })
      .where('name', '=', 'nobody')
      .executeTakeFirst();
    expect(none.numUpdatedRows).toBe(0n);
    const deleted = await store.db.deleteFrom('leases').where('name', '=', 'x').executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
  });

  it('counts an upsert only when its insert or conditional update happened', async () => {
    const upsert = (holder: string) =>
      store.db
        .insertInto('leases')
        .values({ name: 'u', holder, expires_at: 10 })
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet({ holder }).where('leases.holder', '=', holder),
        )
        .executeTakeFirst();
    expect((await upsert('a')).numInsertedOrUpdatedRows).toBe(1n);
    expect((await upsert('a')).numInsertedOrUpdatedRows).toBe(1n);
    expect((await upsert('b')).numInsertedOrUpdatedRows).toBe(0n);
  });

  it('binds a bigint as a number, and refuses one D1 could not store exactly', async () => {
    await sql`insert into leases (name, holder, expires_at) values ('b', 'h', ${BigInt(epochMs)})`.execute(
      store.db,
    );
    const row = await store.db.selectFrom('leases').select('expires_at').executeTakeFirstOrThrow();
    expect(row.expires_at).toBe(epochMs);
    await expect(sql`select ${2n ** 60n} as too_big`.execute(store.db)).rejects.toThrow(
      /outside Number's safe range/,
    );
  });

  it("names D1's own limit on bound parameters in its error", async () => {
    const many = Array.from({ length: 101 }, (_, index) => `k${index}`);
    await expect(
      store.db.selectFrom('leases').selectAll().where('name', 'in', many).execute(),
    ).rejects.toThrow(/too many SQL variables/);
    const hundred = many.slice(0, 100);
    await expect(
      store.db.selectFrom('leases').selectAll().where('name', 'in', hundred).execute(),
    ).resolves.toEqual([]);
  });
});

describe('store.runInTransaction on D1 (one batch)', () => {
  it("commits every statement and gives each one's change count", async () => {
    const results = await store.runInTransaction([
      { sql: 'insert into edge_keys (name, value, created_at) values (?, ?, ?)', parameters: ['a', 'v', 1] },
      {
        sql: 'insert into edge_keys (name, value, created_at) values (?, ?, ?) on conflict do nothing',
        parameters: ['a', 'v', 1],
      },
      { sql: 'select name from edge_keys', parameters: [] },
    ]);
    expect(results.map((result) => result.numAffectedRows)).toEqual([1n, 0n, 0n]);
    expect(results[2]!.rows).toEqual([{ name: 'a' }]);
  });

  it('rolls every statement back when one fails', async () => {
    const insert = 'insert into edge_keys (name, value, created_at) values (?, ?, ?)';
    await expect(
      store.runInTransaction([
        { sql: insert, parameters: ['first', 'v', 1] },
        { sql: insert, parameters: ['second', 'v', 1] },
        { sql: insert, parameters: ['first', 'again', 1] },
      ]),
    ).rejects.toThrow(/UNIQUE constraint failed: edge_keys.name/);
    expect(await keyNames()).toEqual([]);
  });

  it('lets a later statement depend on an earlier one with changes(), all in the one batch', async () => {
    // The D1 idiom for "write B only if A changed a row", which a deferred transaction cannot branch on.
    await store.db.insertInto('leases').values({ name: 'job', holder: 'old', expires_at: 1 }).execute();
    const claimThenRecord = (holder: string) =>
      store.runInTransaction([
        { sql: "update leases set holder = ? where name = 'job' and holder = 'old'", parameters: [holder] },
        {
          sql: 'insert into edge_keys (name, value, created_at) select ?, ?, 1 where changes() = 1',
          parameters: [holder, 'won'],
        },
      ]);
    await claimThenRecord('first');
    await claimThenRecord('second');
    expect(await keyNames()).toEqual(['first']);
  });
});

describe('db.transaction() on D1 (reads now, writes batched at commit)', () => {
  it('commits its writes together at the end, and none before', async () => {
    let seenBeforeCommit: string[] = [];
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('edge_keys').values({ name: 'a', value: 'v', created_at: 1 }).execute();
      await trx.insertInto('edge_keys').values({ name: 'b', value: 'v', created_at: 1 }).execute();
      seenBeforeCommit = await keyNames();
    });
    expect(seenBeforeCommit).toEqual([]);
    expect(await keyNames()).toEqual(['a', 'b']);
  });

  it('writes nothing when a statement fails at commit', async () => {
    await store.db.insertInto('edge_keys').values({ name: 'taken', value: 'v', created_at: 1 }).execute();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('edge_keys').values({ name: 'new', value: 'v', created_at: 1 }).execute();
        await trx.insertInto('edge_keys').values({ name: 'taken', value: 'v', created_at: 1 }).execute();
      }),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await keyNames()).toEqual(['taken']);
  });

  it('writes nothing when its function throws', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('edge_keys').values({ name: 'a', value: 'v', created_at: 1 }).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await keyNames()).toEqual([]);
  });

  it('reads before it writes, and decides from what it read', async () => {
    await store.db.insertInto('edge_keys').values({ name: 'seen', value: 'v', created_at: 1 }).execute();
    await store.db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('edge_keys').select('name').execute();
      for (const { name } of found) {
        await trx.insertInto('leases').values({ name, holder: 'h', expires_at: 1 }).execute();
      }
      await trx.deleteFrom('edge_keys').execute();
    });
    expect(await keyNames()).toEqual([]);
    expect(await store.db.selectFrom('leases').select('name').execute()).toEqual([{ name: 'seen' }]);
  });

  it('refuses to read after it wrote, and writes nothing then', async () => {
    const attempt = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('edge_keys').values({ name: 'a', value: 'v', created_at: 1 }).execute();
      return trx.selectFrom('edge_keys').selectAll().execute();
    });
    await expect(attempt).rejects.toThrow(D1TransactionError);
    await expect(attempt).rejects.toThrow(/cannot read after it writes/);
    expect(await keyNames()).toEqual([]);
  });

  it('refuses RETURNING on a write inside it', async () => {
    await expect(
      store.db
        .transaction()
        .execute((trx) =>
          trx
            .insertInto('edge_keys')
            .values({ name: 'a', value: 'v', created_at: 1 })
            .returningAll()
            .execute(),
        ),
    ).rejects.toThrow(/cannot return rows from a write/);
    expect(await keyNames()).toEqual([]);
  });

  it("cannot know a write's affected rows before commit: they read as 0", async () => {
    await store.db.insertInto('leases').values({ name: 'l', holder: 'h', expires_at: 1 }).execute();
    const counted = await store.db
      .transaction()
      .execute((trx) =>
        trx.updateTable('leases').set({ expires_at: 2 }).where('name', '=', 'l').executeTakeFirst(),
      );
    expect(counted.numUpdatedRows).toBe(0n);
    const row = await store.db.selectFrom('leases').select('expires_at').executeTakeFirstOrThrow();
    expect(row.expires_at).toBe(2);
  });

  it('locks nothing: a write between its read and its commit is overwritten (a lost update)', async () => {
    await store.db.insertInto('leases').values({ name: 'n', holder: 'h', expires_at: 1 }).execute();
    await store.db.transaction().execute(async (trx) => {
      const { expires_at } = await trx
        .selectFrom('leases')
        .select('expires_at')
        .where('name', '=', 'n')
        .executeTakeFirstOrThrow();
      // Another isolate's increment lands here, between this read and this commit.
      await store.db.updateTable('leases').set({ expires_at: 100 }).where('name', '=', 'n').execute();
      await trx
        .updateTable('leases')
        .set({ expires_at: expires_at + 1 })
        .where('name', '=', 'n')
        .execute();
    });
    const row = await store.db.selectFrom('leases').select('expires_at').executeTakeFirstOrThrow();
    expect(row.expires_at).toBe(2);
  });

  it('refuses a savepoint', async () => {
    const trx = await store.db.startTransaction().execute();
    await expect(trx.savepoint('inner').execute()).rejects.toThrow(/not supported/);
    await trx.rollback().execute();
  });
});
