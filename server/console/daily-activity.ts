import { sql, type Kysely, type RawBuilder } from 'kysely';
import { paymentStates } from '../orders/order-state.ts';
import type { Database } from '../store/schema.ts';

const dayMs = 86_400_000;

/** One UTC day of the overview's charts. */
export interface ActivityDay {
  /** `YYYY-MM-DD`, UTC. */
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
   * Points webhooks processed that day: from arrival to processed, in ms. The answer time of the intake
   * itself is measured by the metrics sink (`/metrics`), which keeps no days.
   */
  webhookDelayMs: { average: number; max: number } | null;
}

/** The UTC day number of an epoch-ms column, the same in SQLite, D1 and Postgres (a literal, so Postgres
 * sees the same expression in `select` and `group by`). */
const dayOf = (column: string): RawBuilder<number> =>
  sql<number>`cast(${sql.ref(column)} / ${sql.lit(dayMs)} as integer)`;

/** Sums by day number, from rows of `{ day, value }` whose numbers may come back as strings (Postgres). */
const byDay = (rows: Array<{ day: unknown; value: unknown }>) =>
  new Map(rows.map((row) => [Number(row.day), Math.round(Number(row.value ?? 0))]));

/**
 * The last `days` UTC days (today the last) of orders, points, webhook failures and webhook delay, from
 * the tables: six small aggregate queries over an indexable time range, whatever the table sizes.
 *
 * @example
 * const week = await dailyActivity(store.db, Date.now(), 7);
 * week.at(-1)?.orders; // today's orders so far
 */
export async function dailyActivity(db: Kysely<Database>, now: number, days: number): Promise<ActivityDay[]> {
  const today = Math.floor(now / dayMs);
  const first = today - days + 1;
  const since = first * dayMs;

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
  return Array.from({ length: days }, (_, index) => {
    const day = first + index;
    return {
      day: new Date(day * dayMs).toISOString().slice(0, 10),
      orders: counts.orders.get(day) ?? 0,
      pointsEarned: counts.pointsEarned.get(day) ?? 0,
      pointsRedeemed: counts.pointsRedeemed.get(day) ?? 0,
      pointsReversed: counts.pointsReversed.get(day) ?? 0,
      webhookFailures: counts.webhookFailures.get(day) ?? 0,
      webhookDelayMs: delayOf.get(day) ?? null,
    };
  });
}
