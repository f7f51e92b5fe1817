import type { Kysely } from 'kysely';
import type { ActivityDay } from '../../server/console/daily-activity.ts';
import type { Database } from '../../server/store/schema.ts';

/** Orders created (and last changed) at each ISO instant, numbered from `prefix`. */
export async function insertOrders(db: Kysely<Database>, prefix: string, instants: string[]): Promise<void> {
  for (const [index, instant] of instants.entries()) {
    const at = Date.parse(instant);
    await db
      .insertInto('orders')
      .values({
        order_number: `${prefix}-${index}`,
        type: 'earning',
        state: 'confirmed',
        expected_total_halalas: 1000,
        refunded_halalas: 0,
        details: '{}',
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
}

/** Earnings awarded at each ISO instant, `points` each. */
export async function insertEarnings(
  db: Kysely<Database>,
  prefix: string,
  instants: string[],
  points: number,
): Promise<void> {
  for (const [index, instant] of instants.entries()) {
    const at = Date.parse(instant);
    await db
      .insertInto('earnings')
      .values({
        key: `${prefix}-${index}`,
        kind: 'purchase',
        reference: `${prefix}-${index}`,
        state: 'awarded',
        request: '{}',
        total_points: points,
        attempts: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
}

/** Webhook receipts received at an ISO instant, each with its intake time (null: none measured). */
export async function insertReceipts(
  db: Kysely<Database>,
  prefix: string,
  receipts: Array<{ at: string; intakeMs: number | null; status?: 'processed' | 'failed' }>,
): Promise<void> {
  for (const [index, receipt] of receipts.entries()) {
    await db
      .insertInto('webhook_receipts')
      .values({
        id: `${prefix}-${index}`,
        source: index % 2 ? 'salla' : 'points',
        dedupe_key: `${prefix}-${index}`,
        event: 'approved',
        points_order_id: null,
        subject: null,
        raw_body: '{}',
        status: receipt.status ?? 'processed',
        error: null,
        received_at: Date.parse(receipt.at),
        processed_at: null,
        intake_ms: receipt.intakeMs,
      })
      .execute();
  }
}

/** The days that had orders, and how many: `{ '2026-03-30': 1 }`. */
export const ordersByDay = (days: ActivityDay[]): Record<string, number> =>
  Object.fromEntries(days.filter((day) => day.orders > 0).map((day) => [day.day, day.orders]));

/** A day of the answer by its date. */
export const dayOn = (days: ActivityDay[], date: string): ActivityDay => {
  const found = days.find((day) => day.day === date);
  if (!found) throw new Error(`no ${date} in ${days[0]?.day} … ${days.at(-1)?.day}`);
  return found;
};

/**
 * One data set across local-day edges, for the same answers on every engine: orders a minute either side
 * of midnight in Riyadh, Berlin (over both of 2026's clock changes), Kolkata and St John's; earnings either
 * side of Riyadh's midnight; 20 timed deliveries on one Riyadh day, one the minute before, one untimed.
 */
export async function seedAcrossMidnights(db: Kysely<Database>): Promise<void> {
  await insertOrders(db, 'riyadh', ['2026-03-30T20:59:00Z', '2026-03-30T21:01:00Z']);
  await insertOrders(db, 'berlin', [
    '2026-03-28T22:59:00Z', // 23:59 on the 28th (UTC+1)
    '2026-03-28T23:01:00Z', // 00:01 on the 29th, the day clocks go to UTC+2 at 01:00 UTC
    '2026-03-29T21:59:00Z', // 23:59 on the 29th (UTC+2)
    '2026-03-29T22:01:00Z', // 00:01 on the 30th
  ]);
  await insertOrders(db, 'kolkata', ['2026-03-30T18:29:00Z', '2026-03-30T18:31:00Z']);
  await insertOrders(db, 'stjohns', [
    '2026-03-08T03:29:00Z', // 23:59 on the 7th (UTC−3:30); clocks go to UTC−2:30 at 05:30 UTC on the 8th
    '2026-03-08T03:31:00Z', // 00:01 on the 8th
    '2026-03-09T02:29:00Z', // 23:59 on the 8th (UTC−2:30)
    '2026-03-09T02:31:00Z', // 00:01 on the 9th
  ]);
  await insertEarnings(db, 'earn', ['2026-03-30T20:59:00Z', '2026-03-30T21:01:00Z'], 40);
  await insertReceipts(db, 'intake', [
    // 1 … 20 ms in a shuffled order, from 00:00 on Riyadh's 31 March.
    ...[7, 19, 3, 12, 1, 20, 15, 9, 4, 17, 11, 2, 14, 6, 18, 10, 5, 13, 8, 16].map((ms, minute) => ({
      at: new Date(Date.parse('2026-03-30T21:00:00Z') + minute * 60_000).toISOString(),
      intakeMs: ms,
    })),
    { at: '2026-03-30T20:59:59.999Z', intakeMs: 500, status: 'failed' },
    { at: '2026-03-30T22:00:00Z', intakeMs: null },
  ]);
}

/** The instant the seeded days are read at: noon UTC on 31 March 2026. */
export const seededNow = Date.parse('2026-03-31T12:00:00Z');
