import { sql, type Kysely } from 'kysely';
import { paymentStates } from '../orders/order-state.ts';
import type { Database } from '../store/schema.ts';
import { localDays } from './local-days.ts';

/** One day of the overview's charts, in the merchant's time zone (`TIME_ZONE`). */
export interface ActivityDay {
  /** `YYYY-MM-DD`, on the merchant's calendar. */
  day: string;
  /** Orders created (checkouts and earnings). */
  orders: number;
  /** Points awarded by earning calls (purchases and ratings), by the day they were awarded. */
  pointsEarned: number;
  /** Points shoppers paid with, on checkouts that were paid, by the day the order was created. */
  pointsRedeemed: number;
  /**
   * Points given back by refunds, by the day of the order's last change: each refunded order's points in
   * the share of its total that was refunded (Points does not tell us the points of a refund itself).
   */
  pointsReversed: number;
  /** Webhook deliveries (Points' and the store platforms') that failed or could not be read. */
  webhookFailures: number;
  /**
   * Webhook deliveries (Points' and the store platforms') stored that day: how long our intake took to
   * answer each, in ms (`webhook_receipts.intake_ms`). The median and the 95th percentile are nearest-rank
   * (the value at rank ⌈p·n⌉ of the day's n deliveries), exact, not interpolated.
   */
  intakeMs: { median: number; p95: number; max: number; deliveries: number } | null;
  /** Points webhooks processed that day: from arrival to processed (the job's wait and work), in ms. */
  webhookDelayMs: { average: number; max: number } | null;
}

/** Sums by day number, from rows of `{ day, value }` whose numbers may come back as strings (Postgres). */
const byDay = (rows: Array<{ day: unknown; value: unknown }>) =>
  new Map(rows.map((row) => [Number(row.day), Math.round(Number(row.value ?? 0))]));

/**
 * The last `days` days in `timeZone` (today the last) of orders, points, webhook failures, intake latency
 * and webhook delay, from the tables: seven small aggregate queries over an indexable time range, whatever
 * the table sizes. A day starts at the zone's midnight (`local-days.ts`), daylight saving included.
 *
 * @example
 * const week = await dailyActivity(store.db, Date.now(), 7, 'Asia/Riyadh');
 * week.at(-1)?.orders; // today's orders so far
 */
export async function dailyActivity(
  db: Kysely<Database>,
  now: number,
  days: number,
  timeZone: string,
): Promise<ActivityDay[]> {
  const { first, since, dayOf, dateOf } = localDays(timeZone, now, days);

  const orders = await db
    .selectFrom('orders')
    .select([dayOf('created_at').as('day'), (eb) => eb.fn.countAll().as('value')])
    .where('created_at', '>=', since)
    .groupBy(dayOf('created_at'))
    .execute();
  const earned = await db
    .selectFrom('earnings')
    .select([dayOf('updated_at').as('day'), (eb) => eb.fn.sum('total_points').as('value')])
    .where('state', '=', 'awarded')
    .where('updated_at', '>=', since)
    .groupBy(dayOf('updated_at'))
    .execute();
  const redeemed = await db
    .selectFrom('orders')
    .select([dayOf('created_at').as('day'), (eb) => eb.fn.sum('total_points').as('value')])
    .where('type', '=', 'replacing')
    .where('state', 'in', [...paymentStates])
    .where('created_at', '>=', since)
    .groupBy(dayOf('created_at'))
    .execute();
  const reversed = await db
    .selectFrom('orders')
    .select([
      dayOf('updated_at').as('day'),
      sql<number>`sum(total_points * refunded_halalas / settled_total_halalas)`.as('value'),
    ])
    .where('refunded_halalas', '>', 0)
    .where('settled_total_halalas', '>', 0)
    .where('total_points', 'is not', null)
    .where('updated_at', '>=', since)
    .groupBy(dayOf('updated_at'))
    .execute();
  const failures = await db
    .selectFrom('webhook_receipts')
    .select([dayOf('received_at').as('day'), (eb) => eb.fn.countAll().as('value')])
    .where('status', 'in', ['failed', 'malformed'])
    .where('received_at', '>=', since)
    .groupBy(dayOf('received_at'))
    .execute();
  const delays = await db
    .selectFrom('webhook_receipts')
    .select([
      dayOf('received_at').as('day'),
      sql<number>`avg(processed_at - received_at)`.as('average'),
      sql<number>`max(processed_at - received_at)`.as('max'),
    ])
    .where('source', '=', 'points')
    .where('processed_at', 'is not', null)
    .where('received_at', '>=', since)
    .groupBy(dayOf('received_at'))
    .execute();

  // The nearest-rank median and 95th percentile: window functions, which SQLite, D1 and Postgres all have.
  const intake = await sql<{
    day: unknown;
    median: unknown;
    p95: unknown;
    longest: unknown;
    deliveries: unknown;
  }>`
    select day,
      max(case when position = (deliveries + 1) / 2 then intake_ms end) as median,
      max(case when position = (95 * deliveries + 99) / 100 then intake_ms end) as p95,
      max(intake_ms) as longest,
      max(deliveries) as deliveries
    from (
      select day, intake_ms,
        row_number() over (partition by day order by intake_ms) as position,
        count(*) over (partition by day) as deliveries
      from (
        select ${dayOf('received_at')} as day, intake_ms from webhook_receipts
        where received_at >= ${since} and intake_ms is not null
      ) as measured
    ) as ranked
    group by day`.execute(db);

  const counts = {
    orders: byDay(orders),
    pointsEarned: byDay(earned),
    pointsRedeemed: byDay(redeemed),
    pointsReversed: byDay(reversed),
    webhookFailures: byDay(failures),
  };
  const delayOf = new Map(
    delays.map((row) => [
      Number(row.day),
      { average: Math.round(Number(row.average)), max: Math.round(Number(row.max)) },
    ]),
  );
  const intakeOf = new Map(
    intake.rows.map((row) => [
      Number(row.day),
      {
        median: Number(row.median),
        p95: Number(row.p95),
        max: Number(row.longest),
        deliveries: Number(row.deliveries),
      },
    ]),
  );
  return Array.from({ length: days }, (_, index) => {
    const day = first + index;
    return {
      day: dateOf(day),
      orders: counts.orders.get(day) ?? 0,
      pointsEarned: counts.pointsEarned.get(day) ?? 0,
      pointsRedeemed: counts.pointsRedeemed.get(day) ?? 0,
      pointsReversed: counts.pointsReversed.get(day) ?? 0,
      webhookFailures: counts.webhookFailures.get(day) ?? 0,
      intakeMs: intakeOf.get(day) ?? null,
      webhookDelayMs: delayOf.get(day) ?? null,
    };
  });
}
