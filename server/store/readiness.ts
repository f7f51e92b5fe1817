import { sql } from 'kysely';
import type { Store } from './db.ts';
import { pendingMigrations } from './migrations.ts';

/** Readiness as `/readyz` answers it. */
export interface Readiness {
  status: 'ready' | 'migrations pending' | 'database unreachable';
  pending: string[];
}

/** Whether the database answers and no migration is pending: what `GET /readyz` and the console show. */
export async function readiness(store: Store): Promise<Readiness> {
  try {
    await sql`select 1`.execute(store.db);
    const pending = await pendingMigrations(store);
    return { status: pending.length > 0 ? 'migrations pending' : 'ready', pending };
  } catch {
    return { status: 'database unreachable', pending: [] };
  }
}
