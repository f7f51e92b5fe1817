import type { Store } from './db.ts';

/**
 * Takes the named lease for `holder` until `now + ttlMs` when it is free, expired or already ours.
 * One atomic upsert, so two instances racing for it can never both win (SQLite and Postgres alike).
 *
 * @example
 * if (await acquireLease(store, 'schedule:reconcile', instanceId, 60_000, Date.now())) await sweep();
 */
export async function acquireLease(
  store: Store,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
  /** When false, the holder cannot renew before expiry either (a schedule runs once per period). */
  renew = true,
): Promise<boolean> {
  const result = await store.db
    .insertInto('leases')
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ttlMs })
        .where((eb) =>
          renew
            ? eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])
            : eb('leases.expires_at', '<=', now),
        ),
    )
    .executeTakeFirst();
  // Both engines count a row only when the insert or the conditional update happened.
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Gives the lease back early; only its holder can. */
export async function releaseLease(store: Store, name: string, holder: string): Promise<void> {
  await store.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
