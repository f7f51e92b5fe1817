import type { Store } from './db.ts';

/**
 * Ends the claims a dead server process left in a SQLite database, before this process claims anything:
 * its running jobs go back on the queue (they were due when claimed) and its leases expire now. On SQLite only one server process can have the
 * file open (the process lock), so at start every claim found belongs to a process that has died (kill -9,
 * out of memory, power loss). Without this, a restart would wait for each claim to expire: a job's lease
 * is 60 s, the earning lane's too. On Postgres several live instances share the database and only expiry
 * can tell a dead claim from a slow one, so nothing is touched there.
 *
 * @example
 * const released = await releaseDeadClaims(store, Date.now()); // { jobs: 3, leases: 1 } after a crash
 */
export async function releaseDeadClaims(
  store: Store,
  now: number,
): Promise<{ jobs: number; leases: number }> {
  if (store.engine !== 'sqlite') return { jobs: 0, leases: 0 };
  const jobs = await store.db
    .updateTable('jobs')
    .set({ state: 'queued', locked_by: null, locked_until: null, updated_at: now })
    .where('state', '=', 'running')
    .executeTakeFirst();
  const leases = await store.db
    .updateTable('leases')
    .set({ expires_at: now })
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return { jobs: Number(jobs.numUpdatedRows), leases: Number(leases.numUpdatedRows) };
}
