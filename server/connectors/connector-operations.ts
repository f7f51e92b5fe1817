import type { EdgeContext } from '../edge-context.ts';
import { halalasToSarText } from '../money.ts';
import { ProblemError } from '../http/problem.ts';
import { maskPhone } from '../shared/saudi-phone.ts';
import type { Store } from '../store/db.ts';
import { withExclusive } from '../store/exclusive.ts';
import type { ConnectorOrdersTable } from '../store/schema.ts';
import { catchUpConnectors, type CatchUpReport } from './catch-up-sweep.ts';
import type { OrderFacts, PlatformId, ReviewFacts } from './connector.ts';
import { findConnectorOrder, type ConnectorOrderRow } from './connector-orders.ts';
import { connectorOrderLease } from './process-delivery.ts';
import { settleConnectorOrder, type SettleDependencies } from './settle-order.ts';

/** A connector order as support sees it: SAR strings, ISO times, the phone masked. */
export interface ConnectorOrderView {
  key: string;
  platform: string;
  store: string;
  kind: 'order' | 'review';
  reference: string | null;
  outcome: ConnectorOrdersTable['outcome'];
  reason: string | null;
  pointsUuid: string | null;
  earnedTotal: string | null;
  earnedPoints: number | null;
  reversedTotal: string;
  deliveries: number;
  lastDeliveryAt: string | null;
  updatedAt: string;
  /** What the platform told us, merged over every delivery (the phone masked). */
  facts: Record<string, unknown>;
}

/** One stored delivery of a connector order. */
export interface ConnectorDeliveryView {
  id: string;
  event: string;
  status: string;
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
}

/** Filters of {@link ConnectorOperations.listConnectorOrders}; all optional. */
export interface ConnectorOrderQuery {
  platform?: PlatformId;
  outcome?: ConnectorOrdersTable['outcome'];
  reference?: string;
  limit?: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function connectorOrderView(row: ConnectorOrderRow): ConnectorOrderView {
  const facts = JSON.parse(row.facts) as OrderFacts | ReviewFacts;
  return {
    key: row.key,
    platform: row.platform,
    store: row.store_id,
    kind: row.kind,
    reference: row.reference,
    outcome: row.outcome,
    reason: row.reason,
    pointsUuid: row.points_uuid,
    earnedTotal: row.earned_halalas === null ? null : halalasToSarText(Number(row.earned_halalas)),
    earnedPoints: row.earned_points === null ? null : Number(row.earned_points),
    reversedTotal: halalasToSarText(Number(row.reversed_halalas)),
    deliveries: row.deliveries,
    lastDeliveryAt: iso(row.last_delivery_at),
    updatedAt: iso(row.updated_at)!,
    facts: { ...facts, ...(facts.phone ? { phone: maskPhone(facts.phone) } : {}) },
  };
}

/**
 * Support operations on connector orders, for the admin API and the CLI: list them by outcome, show one
 * with its deliveries, settle one again now (after a fix at Points, or a connector turned back on), and
 * run the catch-up sweep.
 */
/** The latest delivery each platform's connector received (ISO time), or `null` for never. */
export async function lastConnectorDeliveries(
  store: Store,
  platforms: readonly PlatformId[],
): Promise<Partial<Record<PlatformId, string | null>>> {
  if (platforms.length === 0) return {};
  const rows = await store.db
    .selectFrom('webhook_receipts')
    .select((eb) => ['source', eb.fn.max('received_at').as('at')])
    .where('source', 'in', platforms)
    .groupBy('source')
    .execute();
  const at = new Map(rows.map((row) => [row.source, row.at === null ? null : Number(row.at)]));
  return Object.fromEntries(platforms.map((platform) => [platform, iso(at.get(platform) ?? null)]));
}

export function createConnectorOperations(ctx: EdgeContext, deps: SettleDependencies) {
  async function requireRow(key: string): Promise<ConnectorOrderRow> {
    const row = await findConnectorOrder(ctx.store.db, key);
    if (!row) throw new ProblemError('not_found', `No connector order ${key} on this server.`);
    return row;
  }

  return {
    async listConnectorOrders(query: ConnectorOrderQuery = {}): Promise<ConnectorOrderView[]> {
      let select = ctx.store.db.selectFrom('connector_orders').selectAll();
      if (query.platform) select = select.where('platform', '=', query.platform);
      if (query.outcome) select = select.where('outcome', '=', query.outcome);
      if (query.reference) select = select.where('reference', '=', query.reference);
      const rows = await select
        .orderBy('updated_at', 'desc')
        .orderBy('key')
        .limit(Math.min(query.limit ?? 50, 200))
        .execute();
      return rows.map(connectorOrderView);
    },

    async getConnectorOrder(key: string) {
      const row = await requireRow(key);
      const receipts = await ctx.store.db
        .selectFrom('webhook_receipts')
        .select(['id', 'event', 'status', 'error', 'received_at', 'processed_at'])
        .where('source', '=', row.platform)
        .where('subject', '=', key)
        .orderBy('received_at')
        .limit(200)
        .execute();
      const deliveries: ConnectorDeliveryView[] = receipts.map((receipt) => ({
        id: receipt.id,
        event: receipt.event,
        status: receipt.status,
        error: receipt.error,
        receivedAt: iso(receipt.received_at)!,
        processedAt: iso(receipt.processed_at),
      }));
      return { order: connectorOrderView(row), deliveries };
    },

    /** Settles the order again from what it knows: earns, or reverses, what Points does not hold yet. */
    async replayConnectorOrder(key: string): Promise<ConnectorOrderView> {
      const row = await requireRow(key);
      const connector = ctx.config.connectors.find((active) => active.id === row.platform);
      if (!connector) {
        throw new ProblemError('not_configured', `The ${row.platform} connector is off on this server.`);
      }
      await withExclusive(ctx.store, connectorOrderLease(key), () =>
        settleConnectorOrder(ctx, deps, key, connector.earnOn),
      );
      ctx.logger.info({ connectorOrder: key }, 'connector order replayed');
      return connectorOrderView(await requireRow(key));
    },

    /** When each connector that is on last received a delivery (ISO time), or `null` for never. */
    lastConnectorDeliveries: () =>
      lastConnectorDeliveries(
        ctx.store,
        ctx.config.connectors.map((connector) => connector.id),
      ),

    sweepConnectors: (fetch?: typeof globalThis.fetch): Promise<CatchUpReport[]> =>
      catchUpConnectors(ctx, fetch),
  };
}

export type ConnectorOperations = ReturnType<typeof createConnectorOperations>;
