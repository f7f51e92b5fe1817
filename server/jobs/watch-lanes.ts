import type { Alerts } from '../observability/alerts.ts';
import type { Store } from '../store/db.ts';
import { queueStats } from './queue.ts';

/** A lane whose oldest due job waited longer than this is blocked (Points down, a poison job…). */
export const blockedLaneAgeMs = 10 * 60_000;

/** Raises `lane_blocked` for every lane whose oldest queued job is overdue by {@link blockedLaneAgeMs}. */
export async function watchLanes(store: Store, now: () => number, alerts: Alerts): Promise<void> {
  for (const row of await queueStats(store.db, now())) {
    if (row.state === 'queued' && row.oldestRunAt !== null && now() - row.oldestRunAt > blockedLaneAgeMs) {
      alerts.record('lane_blocked', { lane: row.lane, jobs: row.count });
    }
  }
}
