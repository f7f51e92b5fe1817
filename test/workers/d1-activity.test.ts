import { afterEach, describe, expect, it } from 'vitest';
import { dailyActivity } from '../../server/console/daily-activity.ts';
import type { Store } from '../../server/store/db.ts';
import { dayOn, ordersByDay, seedAcrossMidnights, seededNow } from '../support/activity-rows.ts';
import { freshStore } from '../support/databases.ts';
import { freshD1Store } from './miniflare-d1.ts';

// The console's charts read on D1 in real workerd: the same days and numbers as on node:sqlite.
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

describe('daily activity on D1', () => {
  it('answers the same days and numbers as SQLite, in Riyadh, Berlin, Kolkata, St John’s and UTC', async () => {
    const d1 = await freshD1Store();
    const sqlite = await freshStore('sqlite');
    stores.push(d1, sqlite);
    await seedAcrossMidnights(d1.db);
    await seedAcrossMidnights(sqlite.db);

    for (const [zone, days] of [
      ['Asia/Riyadh', 14],
      ['Europe/Berlin', 14],
      ['Asia/Kolkata', 3],
      ['America/St_Johns', 30],
      ['UTC', 90],
    ] as const) {
      const onD1 = await dailyActivity(d1.db, seededNow, days, zone);
      expect(onD1, zone).toEqual(await dailyActivity(sqlite.db, seededNow, days, zone));
    }

    const riyadh = await dailyActivity(d1.db, seededNow, 14, 'Asia/Riyadh');
    expect(ordersByDay(riyadh)).toEqual({ '2026-03-29': 2, '2026-03-30': 5, '2026-03-31': 1 });
    expect(dayOn(riyadh, '2026-03-30')).toMatchObject({
      pointsEarned: 40,
      webhookFailures: 1,
      intakeMs: { median: 500, p95: 500, max: 500, deliveries: 1 },
    });
    expect(dayOn(riyadh, '2026-03-31')).toMatchObject({
      pointsEarned: 40,
      intakeMs: { median: 10, p95: 19, max: 20, deliveries: 20 },
    });
    const berlin = ordersByDay(await dailyActivity(d1.db, seededNow, 14, 'Europe/Berlin'));
    expect(berlin).toEqual({ '2026-03-28': 1, '2026-03-29': 2, '2026-03-30': 5 });
  });
});
