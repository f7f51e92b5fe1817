import type { Alerts } from '../observability/alerts.ts';
import type { Store } from '../store/db.ts';
import { queueStats } from './queue.ts';

/** A lane whose oldest due job waited longer than this is blocked (Points down, a poison job…). */
export const blockedLaneAgeMs = 10 * 60_000;

/** The most lanes one `lane_blocked` alert names; the rest are counted. */
export const namedBlockedLanes = 10;

/**
 * Raises one `lane_blocked` for the lanes whose oldest queued job is overdue by {@link blockedLaneAgeMs},
 * naming each (the longest waiting first) with its queued jobs: `{ lanes: 'notify (2), webhooks (1)',
 * blocked: 2, jobs: 3 }`. One alert, since a second in its window would be dropped, and its lane with it.
 */
export async function watchLanes(store: Store, now: () => number, alerts: Alerts): Promise<void> {
  const at = now();
  const blocked = (await queueStats(store.db, at))
    .filter(
      (row) => row.state === 'queued' && row.oldestRunAt !== null && at - row.oldestRunAt > blockedLaneAgeMs,
    )
    .sort((a, b) => a.oldestRunAt! - b.oldestRunAt!);
  if (blocked.length === 0) return;
  const named = blocked.slice(0, namedBlockedLanes).map((row) => `${row.lane} (${row.count})`);
  const more = blocked.length - named.length;
  alerts.record('lane_blocked', {
    lanes: more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', '),
    blocked: blocked.length,
    jobs: blocked.reduce((sum, row) => sum + row.count, 0),
  });
}
