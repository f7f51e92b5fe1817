import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ConnectorOrdersTable, Database } from '../store/schema.ts';
import type { OrderFacts, PlatformId, ReviewFacts } from './connector.ts';
import { mergeOrderFacts } from './facts.ts';

export type ConnectorOrderRow = Selectable<ConnectorOrdersTable>;
type Executor = Kysely<Database> | Transaction<Database>;

/** What one delivery adds to a connector order or review. */
export type DeliveredSubject =
  | { kind: 'order'; platform: PlatformId; key: string; facts: OrderFacts }
  | { kind: 'review'; platform: PlatformId; key: string; facts: ReviewFacts };

/**
 * How many platform orders and reviews there are by platform and outcome: `/metrics` on both runtimes and
 * the console's connectors page read this.
 *
 * @example
 * for (const row of await connectorOrderCounts(db)) gauge.set(row, row.count);
 */
export async function connectorOrderCounts(
  db: Executor,
): Promise<Array<{ platform: string; outcome: ConnectorOrdersTable['outcome']; count: number }>> {
  const rows = await db
    .selectFrom('connector_orders')
    .select((eb) => ['platform', 'outcome', eb.fn.countAll<number | string | bigint>().as('count')])
    .groupBy(['platform', 'outcome'])
    .execute();
  return rows.map((row) => ({ platform: row.platform, outcome: row.outcome, count: Number(row.count) }));
}

export function findConnectorOrder(db: Executor, key: string): Promise<ConnectorOrderRow | undefined> {
  return db.selectFrom('connector_orders').selectAll().where('key', '=', key).executeTakeFirst();
}

/**
 * Merges one delivery's facts into the connector order (made on its first delivery). Run it while holding
 * the order's exclusive lease, so no two merges of one order interleave.
 */
export async function recordDelivery(db: Executor, subject: DeliveredSubject, now: number): Promise<void> {
  const existing = await findConnectorOrder(db, subject.key);
  const facts =
    subject.kind === 'order'
      ? mergeOrderFacts(existing ? (JSON.parse(existing.facts) as OrderFacts) : undefined, subject.facts)
      : subject.facts;
  const reference = subject.kind === 'order' ? (facts as OrderFacts).reference : undefined;
  if (!existing) {
    await db
      .insertInto('connector_orders')
      .values({
        key: subject.key,
        platform: subject.platform,
        store_id: subject.facts.storeId,
        kind: subject.kind,
        reference: reference ?? null,
        facts: JSON.stringify(facts),
        outcome: 'waiting',
        reason: 'not looked at yet',
        points_uuid: null,
        earned_halalas: null,
        earned_points: null,
        reversed_halalas: 0,
        deliveries: 1,
        last_delivery_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return;
  }
  await db
    .updateTable('connector_orders')
    .set({
      facts: JSON.stringify(facts),
      reference: reference ?? existing.reference,
      deliveries: existing.deliveries + 1,
      last_delivery_at: now,
      updated_at: now,
    })
    .where('key', '=', subject.key)
    .execute();
}

/** Sets what became of the order at Points. */
export async function updateConnectorOrder(
  db: Executor,
  key: string,
  values: Partial<
    Pick<
      ConnectorOrderRow,
      'outcome' | 'reason' | 'points_uuid' | 'earned_halalas' | 'earned_points' | 'reversed_halalas'
    >
  >,
  now: number,
): Promise<void> {
  await db
    .updateTable('connector_orders')
    .set({ ...values, updated_at: now })
    .where('key', '=', key)
    .execute();
}
