import { afterEach, describe, expect, it } from 'vitest';
import { dailyActivity } from '../../server/console/daily-activity.ts';
import { localDays, utcOffsetMs } from '../../server/console/local-days.ts';
import type { Store } from '../../server/store/db.ts';
import {
  dayOn,
  insertOrders,
  ordersByDay,
  seedAcrossMidnights,
  seededNow,
} from '../support/activity-rows.ts';
import { engines, freshStore } from '../support/databases.ts';

const hour = 3_600_000;

describe('local days', () => {
  it('knows each zone’s offset, daylight saving and half hours included', () => {
    expect(utcOffsetMs('Asia/Riyadh', Date.parse('2026-07-01T00:00:00Z'))).toBe(3 * hour);
    expect(utcOffsetMs('Asia/Kolkata', Date.parse('2026-07-01T00:00:00Z'))).toBe(5.5 * hour);
    expect(utcOffsetMs('Europe/Berlin', Date.parse('2026-03-29T00:59:59Z'))).toBe(1 * hour);
    expect(utcOffsetMs('Europe/Berlin', Date.parse('2026-03-29T01:00:00Z'))).toBe(2 * hour);
    expect(utcOffsetMs('America/St_Johns', Date.parse('2026-01-15T12:00:00Z'))).toBe(-3.5 * hour);
    expect(utcOffsetMs('UTC', Date.parse('2026-01-15T12:00:00Z'))).toBe(0);
  });

  it('counts the last days back from today on the zone’s calendar', () => {
    // 22:00 UTC on the 30th is already the 31st in Riyadh, still the 30th in New York.
    const now = Date.parse('2026-03-30T22:00:00Z');
    const riyadh = localDays('Asia/Riyadh', now, 3);
    expect([riyadh.dateOf(riyadh.first), riyadh.dateOf(riyadh.today)]).toEqual(['2026-03-29', '2026-03-31']);
    const newYork = localDays('America/New_York', now, 3);
    expect(newYork.dateOf(newYork.today)).toBe('2026-03-30');
  });
});

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe.each(engines)('daily activity on %s', (engine) => {
  async function seeded(): Promise<Store> {
    store = await freshStore(engine);
    await seedAcrossMidnights(store.db);
    return store;
  }

  it('puts 20:59 and 21:01 UTC on different Riyadh days, for orders, points, failures and intake time', async () => {
    const { db } = await seeded();
    const days = await dailyActivity(db, seededNow, 14, 'Asia/Riyadh');
    expect(days).toHaveLength(14);
    expect([days[0]!.day, days.at(-1)!.day]).toEqual(['2026-03-18', '2026-03-31']);
    // Riyadh's, and the other zones' rows read on Riyadh's calendar.
    expect(ordersByDay(days)).toEqual({ '2026-03-29': 2, '2026-03-30': 5, '2026-03-31': 1 });
    expect(dayOn(days, '2026-03-30')).toMatchObject({
      pointsEarned: 40,
      webhookFailures: 1,
      intakeMs: { median: 500, p95: 500, max: 500, deliveries: 1 },
    });
    expect(dayOn(days, '2026-03-31')).toMatchObject({
      pointsEarned: 40,
      webhookFailures: 0,
      // 1 … 20 ms: the 10th and the 19th of 20 (nearest rank), and the longest; the untimed one not counted.
      intakeMs: { median: 10, p95: 19, max: 20, deliveries: 20 },
    });
    expect(dayOn(days, '2026-03-29').intakeMs).toBeNull();
  });

  it('counts days from Berlin’s midnight on both sides of a clock change, the 23-hour day and the 25-hour one', async () => {
    const { db } = await seeded();
    const spring = ordersByDay(await dailyActivity(db, seededNow, 14, 'Europe/Berlin'));
    // The 30th also has Riyadh's and Kolkata's rows (evening in Berlin).
    expect(spring).toEqual({ '2026-03-28': 1, '2026-03-29': 2, '2026-03-30': 5 });

    await insertOrders(db, 'autumn', [
      '2026-10-24T21:59:00Z', // 23:59 on the 24th (UTC+2)
      '2026-10-24T22:01:00Z', // 00:01 on the 25th, clocks go back to UTC+1 at 01:00 UTC
      '2026-10-25T22:59:00Z', // 23:59 on the 25th (UTC+1)
      '2026-10-25T23:01:00Z', // 00:01 on the 26th
    ]);
    const autumn = await dailyActivity(db, Date.parse('2026-10-27T12:00:00Z'), 7, 'Europe/Berlin');
    expect(ordersByDay(autumn)).toEqual({ '2026-10-24': 1, '2026-10-25': 2, '2026-10-26': 1 });
  });

  it('counts days from midnight at half-hour offsets: Kolkata, and St John’s over its clock change', async () => {
    const { db } = await seeded();
    const kolkata = ordersByDay(await dailyActivity(db, seededNow, 3, 'Asia/Kolkata'));
    // 18:29 and 18:31 UTC on the 30th are 23:59 and 00:01; Riyadh's rows are after 02:00 on the 31st.
    expect(kolkata).toEqual({ '2026-03-29': 2, '2026-03-30': 3, '2026-03-31': 3 });
    const stJohns = ordersByDay(await dailyActivity(db, seededNow, 30, 'America/St_Johns'));
    expect(stJohns).toMatchObject({ '2026-03-07': 1, '2026-03-08': 2, '2026-03-09': 1 });
  });

  it('counts days in a zone whose clocks go back at midnight (Santiago: the hour before midnight twice)', async () => {
    store = await freshStore(engine);
    await insertOrders(store.db, 'santiago', [
      '2026-04-05T02:59:00Z', // 23:59 on the 4th (UTC−3); at 03:00 UTC clocks go back to 23:00
      '2026-04-05T03:30:00Z', // 23:30 on the 4th again (UTC−4)
      '2026-04-05T04:01:00Z', // 00:01 on the 5th
    ]);
    const days = await dailyActivity(store.db, Date.parse('2026-04-06T12:00:00Z'), 3, 'America/Santiago');
    expect(ordersByDay(days)).toEqual({ '2026-04-04': 2, '2026-04-05': 1 });
  });

  it('reads UTC days when the zone is UTC', async () => {
    const { db } = await seeded();
    const days = await dailyActivity(db, seededNow, 14, 'UTC');
    expect(ordersByDay(days)).toEqual({ '2026-03-28': 2, '2026-03-29': 2, '2026-03-30': 4 });
    // 1 … 20 and 500 ms: the 11th and the 20th of 21.
    expect(dayOn(days, '2026-03-30').intakeMs).toEqual({ median: 11, p95: 20, max: 500, deliveries: 21 });
  });
});
