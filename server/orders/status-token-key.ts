import { hmacSha256, toHex } from '../shared/hmac.ts';
import type { Store } from '../store/db.ts';

const keyName = 'status-token';

/**
 * The key that signs order-status tokens, kept in the database. A shopper's status link lives 30 days: it
 * must outlive a restart after the Points private key was rotated, and every instance must sign alike.
 * The first start makes it from the private key of that day (how earlier versions derived it on every
 * start, so links they signed keep working) and it never changes after that.
 *
 * @example
 * const statusKey = await statusTokenKey(store, config.points.privateKey, Date.now());
 */
export async function statusTokenKey(store: Store, privateKey: string, now: number): Promise<string> {
  const firstKey = toHex(await hmacSha256(privateKey, 'points-kit:status-token-key:v1'));
  await store.db
    .insertInto('edge_keys')
    .values({ name: keyName, value: firstKey, created_at: now })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await store.db
    .selectFrom('edge_keys')
    .select('value')
    .where('name', '=', keyName)
    .executeTakeFirstOrThrow();
  return row.value;
}
