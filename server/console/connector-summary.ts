import type { Kysely } from 'kysely';
import type { PlatformId } from '../connectors/connector.ts';
import { connectorOrderCounts } from '../connectors/connector-orders.ts';
import type { ConnectorOrdersTable, Database } from '../store/schema.ts';

type Outcome = ConnectorOrdersTable['outcome'];

/** A store platform's delivery as the console shows it. */
export interface PlatformDelivery {
  platform: string;
  at: string;
  event: string;
  status: string;
}

/** One platform on the console's connectors page. */
export interface ConnectorSummary {
  platform: PlatformId;
  /** Whether its secret is set, so its webhooks are taken in. */
  configured: boolean;
  /** Its orders and reviews by outcome (`connector_orders.outcome`), every outcome present. */
  outcomes: Record<Outcome, number>;
  /** Why orders were skipped, the most common first (at most ten reasons). */
  skippedReasons: Array<{ reason: string; count: number }>;
  lastDelivery: PlatformDelivery | null;
}

const outcomes: readonly Outcome[] = ['waiting', 'earned', 'pending', 'skipped', 'reversed', 'failed'];
const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/**
 * Each store platform's latest delivery (its event and how it ended), of the platforms that ever sent one,
 * by platform name.
 *
 * @example
 * const last = await lastPlatformDeliveries(store.db); // [{ platform: 'salla', at, event, status }]
 */
export async function lastPlatformDeliveries(db: Kysely<Database>): Promise<PlatformDelivery[]> {
  const latest = await db
    .selectFrom('webhook_receipts')
    .select(['source', (eb) => eb.fn.max('received_at').as('at')])
    .where('source', '!=', 'points')
    .groupBy('source')
    .execute();
  const deliveries: PlatformDelivery[] = [];
  for (const { source, at } of latest) {
    const row = await db
      .selectFrom('webhook_receipts')
      .select(['event', 'status', 'received_at'])
      .where('source', '=', source)
      .where('received_at', '=', at)
      .limit(1)
      .executeTakeFirst();
    if (row)
      deliveries.push({ platform: source, at: iso(row.received_at), event: row.event, status: row.status });
  }
  return deliveries.sort((a, b) => a.platform.localeCompare(b.platform));
}

/**
 * The connectors page: for every platform the kit has, what became of its orders (earned, pending,
 * skipped and why, reversed, …) and its last delivery, from `connector_orders` and `webhook_receipts`.
 *
 * @example
 * await connectorSummaries(store.db, ['salla', 'zid'], ['salla']);
 * // [{ platform: 'salla', configured: true, outcomes: { earned: 3, … }, skippedReasons: [], lastDelivery }, …]
 */
export async function connectorSummaries(
  db: Kysely<Database>,
  platforms: readonly PlatformId[],
  configured: readonly string[],
): Promise<ConnectorSummary[]> {
  const counts = await connectorOrderCounts(db);
  const reasons = await db
    .selectFrom('connector_orders')
    .select(['platform', 'reason', (eb) => eb.fn.countAll().as('count')])
    .where('outcome', '=', 'skipped')
    .groupBy(['platform', 'reason'])
    .execute();
  const last = new Map((await lastPlatformDeliveries(db)).map((delivery) => [delivery.platform, delivery]));
  return platforms.map((platform) => {
    const byOutcome = Object.fromEntries(outcomes.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
    for (const row of counts) if (row.platform === platform) byOutcome[row.outcome] += row.count;
    const skippedReasons = reasons
      .filter((row) => row.platform === platform)
      .map((row) => ({ reason: row.reason ?? '', count: Number(row.count) }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
      .slice(0, 10);
    return {
      platform,
      configured: configured.includes(platform),
      outcomes: byOutcome,
      skippedReasons,
      lastDelivery: last.get(platform) ?? null,
    };
  });
}
