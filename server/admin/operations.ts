import { createConnectorOperations } from '../connectors/connector-operations.ts';
import type { EdgeContext } from '../edge-context.ts';
import type { EarningKind, EarningLane, EarningOutcome } from '../earning/earning-lane.ts';
import { replayJob } from '../jobs/queue.ts';
import { halalasToSarText, halalasToSar, pointsAmountToHalalas, sarToHalalas } from '../money.ts';
import { applyAndAnnounce, pointsOrderNumber, type WebhookFacts } from '../orders/apply-points-order.ts';
import { findOrder, findOrderByUuid, type OrderRow } from '../orders/repository.ts';
import type { PointsClient } from '../points/client.ts';
import { PointsError, PointsInputError, PointsNotFoundError } from '../points/errors.ts';
import type { OrderResource, WebhookResource } from '../points/schemas.ts';
import type { OrderState } from '../orders/order-state.ts';
import { ProblemError } from '../http/problem.ts';
import { reconcileOrders, type ReconcileReport } from '../reconcile/reconcile.ts';

/** A support-facing failure that is not Points' answer: unknown order, order never reached Points… */
export class OperationError extends ProblemError {
  declare readonly code: 'order_not_found' | 'order_not_at_points' | 'not_found';
  constructor(code: OperationError['code'], message: string) {
    super(code, message);
    this.name = 'OperationError';
  }
}

/** An order as support sees it: money in SAR strings, times as ISO strings. */
export interface OrderView {
  orderNumber: string;
  type: string;
  state: string;
  pointsUuid: string | null;
  referenceNumber: string | null;
  pointsStatus: string | null;
  shippingStatus: string | null;
  expectedTotal: string;
  settledTotal: string | null;
  refundedTotal: string;
  /** Still paid: the settled total less what was refunded; null until paid. */
  remainingTotal: string | null;
  totalPoints: number | null;
  /** Made from Points' record of an order this server had no row for. */
  adopted: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A dead-lettered job (an outbound delivery or a webhook we could not process). */
export interface DeliveryView {
  id: string;
  lane: string;
  kind: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A webhook registered with Points; its secret is never shown. */
export interface WebhookView {
  uuid: string;
  name: string;
  url: string;
  ours: boolean;
  createdAt: string | null;
}

export function orderView(row: OrderRow): OrderView {
  return {
    orderNumber: row.order_number,
    type: row.type,
    state: row.state,
    pointsUuid: row.points_uuid,
    referenceNumber: row.reference_number,
    pointsStatus: row.points_status,
    shippingStatus: row.shipping_status,
    expectedTotal: halalasToSarText(Number(row.expected_total_halalas)),
    settledTotal:
      row.settled_total_halalas === null ? null : halalasToSarText(Number(row.settled_total_halalas)),
    refundedTotal: halalasToSarText(Number(row.refunded_halalas)),
    remainingTotal:
      row.settled_total_halalas === null
        ? null
        : halalasToSarText(Number(row.settled_total_halalas) - Number(row.refunded_halalas)),
    totalPoints: row.total_points === null ? null : Number(row.total_points),
    adopted: row.adopted_at !== null,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** Filters of {@link Operations.findOrders}; all optional. */
export interface OrderQuery {
  orderNumber?: string;
  referenceNumber?: string;
  state?: OrderState;
  limit?: number;
}

export const defaultOrderListLimit = 50;
export const maxOrderListLimit = 200;

/** SAR text or number to the client's SAR number; rejects anything that is not a clean amount. */
function sarAmount(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const halalas =
    typeof value === 'string' && !/^\d+(\.\d{1,2})?$/.test(value) ? undefined : sarToHalalas(value);
  if (halalas === undefined || halalas <= 0) {
    throw new PointsInputError('Invalid amount', {
      amount: ['Must be a SAR amount > 0 with at most 2 decimals'],
    });
  }
  return halalasToSar(halalas);
}

/**
 * What a partial refund Points just made leaves paid, as the `refunded` webhook's `left_amount` says it:
 * Points' answer has no refund totals, and without this the answer would show the total from before.
 * As `left_amount` it is idempotent: the webhook that follows cannot add the refund a second time.
 */
function leftAfterRefund(row: OrderRow, amount: number | undefined): WebhookFacts {
  if (amount === undefined || row.settled_total_halalas === null) return {};
  const left =
    Number(row.settled_total_halalas) - Number(row.refunded_halalas) - pointsAmountToHalalas(amount);
  return { leftAmount: halalasToSar(left) };
}

/** What an order action returns: our copy after applying Points' answer. */
export interface ActionResult {
  order: OrderView;
  pointsStatus: string;
}

export type ShipInput = { status?: string; nameAr?: string; nameEn?: string };

/** Dependencies of {@link createOperations}. */
export interface OperationsDeps {
  ctx: EdgeContext;
  /** The full Points client (the edge context only carries the calls routes need). */
  points: PointsClient;
  earning: EarningLane;
  /** Called after each reconciliation pass (metrics). */
  onReconciled?: (report: ReconcileReport) => void;
  /** Transport of the connectors' catch-up reads of platform APIs (tests run a stand-in). */
  platformFetch?: typeof fetch | undefined;
}

/**
 * Every support and operator operation, once: the admin API (`/admin`) and the `points-edge` CLI are thin
 * layers over this. Order actions call Points, then apply its answer to our copy exactly as a webhook
 * would (`applyPointsOrder`), so our state is right even before the webhook arrives. When a call's outcome
 * is unknown (timeout, 5xx), the order is re-read from Points before the error is passed on.
 *
 * @example
 * const ops = createOperations({ ctx, points, earning });
 * await ops.refund('ORD-1', { amount: '25.00', reason: 'damaged cup' });
 */
export function createOperations({ ctx, points, earning, onReconciled, platformFetch }: OperationsDeps) {
  const connectorOperations = createConnectorOperations(ctx, { earning, points });
  async function requireOrder(orderNumber: string): Promise<OrderRow> {
    const row = await findOrder(ctx.store.db, orderNumber);
    if (!row) throw new OperationError('order_not_found', `No order ${orderNumber} on this server.`);
    return row;
  }

  async function apply(order: OrderResource, cause: string, facts: WebhookFacts = {}): Promise<OrderView> {
    await applyAndAnnounce(ctx, order, cause, facts);
    const row =
      (await findOrder(ctx.store.db, pointsOrderNumber(order))) ??
      (await findOrderByUuid(ctx.store.db, order.uuid));
    if (!row) throw new OperationError('order_not_found', `No order ${order.order_number} on this server.`);
    return orderView(row);
  }

  async function act(
    orderNumber: string,
    action: string,
    send: (uuid: string) => Promise<OrderResource>,
    facts: (row: OrderRow) => WebhookFacts = () => ({}),
  ): Promise<ActionResult> {
    const row = await requireOrder(orderNumber);
    if (!row.points_uuid) {
      throw new OperationError(
        'order_not_at_points',
        `Order ${orderNumber} has no Points order yet (not paid).`,
      );
    }
    try {
      const order = await send(row.points_uuid);
      ctx.logger.info({ action, orderNumber }, 'admin order action');
      const view = await apply(order, `admin:${action}`, facts(row));
      return { order: view, pointsStatus: order.order_status };
    } catch (error) {
      if (error instanceof PointsError && error.outcomeUnknown) {
        // We cannot tell whether Points acted; read the order so our copy is right either way.
        await points
          .getOrder(row.points_uuid)
          .then((order) => apply(order, 'reconcile'))
          .catch(() => undefined);
      }
      throw error;
    }
  }

  return {
    ...connectorOperations,
    sweepConnectors: () => connectorOperations.sweepConnectors(platformFetch),

    async getOrder(orderNumber: string, options: { live?: boolean } = {}) {
      const row = await requireOrder(orderNumber);
      if (!options.live || !row.points_uuid) return { order: orderView(row), points: null };
      const live = await points.getOrder(row.points_uuid);
      return { order: await apply(live, 'reconcile'), points: live };
    },

    /**
     * Brings in an order Points has under our keys that this server has no row for (created after the
     * backup a database was restored from, or by an older integration), by its Points uuid from the
     * dashboard: read from Points and adopted (`adopt-order.ts`), so its refunds and cancellations reach
     * the merchant. An order we already have is just brought up to date.
     */
    async adopt(uuid: string) {
      let live: OrderResource;
      try {
        live = await points.getOrder(uuid);
      } catch (error) {
        if (!(error instanceof PointsNotFoundError)) throw error;
        throw new OperationError('order_not_found', 'Points has no such order under our keys.');
      }
      return { order: await apply(live, 'admin:adopt'), points: live };
    },

    /**
     * Support lookup by our order number, by Points' reference number (what the customer sees) and by state,
     * most recently changed first; with no filter, the latest orders (the merchant's order list). At most
     * `limit` (default {@link defaultOrderListLimit}).
     */
    async findOrders(query: OrderQuery = {}): Promise<OrderView[]> {
      let select = ctx.store.db.selectFrom('orders').selectAll();
      if (query.orderNumber) select = select.where('order_number', '=', query.orderNumber);
      if (query.referenceNumber) select = select.where('reference_number', '=', query.referenceNumber);
      if (query.state) select = select.where('state', '=', query.state);
      const limit = Math.min(query.limit ?? defaultOrderListLimit, maxOrderListLimit);
      const rows = await select.orderBy('updated_at', 'desc').orderBy('order_number').limit(limit).execute();
      return rows.map(orderView);
    },

    refund: (orderNumber: string, input: { amount?: string | number; reason?: string } = {}) => {
      const amount = sarAmount(input.amount);
      return act(
        orderNumber,
        'refund',
        (uuid) =>
          points.refundOrder(uuid, {
            ...(amount !== undefined ? { amount } : {}),
            ...(input.reason ? { reason: input.reason } : {}),
          }),
        (row) => leftAfterRefund(row, amount),
      );
    },
    cancel: (orderNumber: string, input: { reason?: string } = {}) =>
      act(orderNumber, 'cancel', (uuid) =>
        points.cancelOrder(uuid, input.reason ? { reason: input.reason } : {}),
      ),
    authorize: (orderNumber: string) => act(orderNumber, 'authorize', (uuid) => points.authorizeOrder(uuid)),
    capture: (orderNumber: string) => act(orderNumber, 'capture', (uuid) => points.captureOrder(uuid)),
    complete: (orderNumber: string, input: { paymentMethod?: string } = {}) =>
      act(orderNumber, 'complete', (uuid) =>
        points.completeOrder(uuid, input.paymentMethod ? { payment_method: input.paymentMethod as '1' } : {}),
      ),
    ship: (orderNumber: string, input: ShipInput) =>
      act(orderNumber, 'ship', (uuid) =>
        points.updateShippingStatus(uuid, {
          ...(input.status ? { status: input.status as 'new' } : {}),
          ...(input.nameAr ? { name_ar: input.nameAr } : {}),
          ...(input.nameEn ? { name_en: input.nameEn } : {}),
        }),
      ),

    earn: (kind: EarningKind, input: unknown): Promise<EarningOutcome> => earning.earn(kind, input),

    async listWebhooks(): Promise<WebhookView[]> {
      const views: WebhookView[] = [];
      for (let page = 1; ; page++) {
        const list = await points.listWebhooks({ page, per_page: 50 });
        views.push(...list.data.map((hook) => webhookView(hook)));
        if (!list.meta || list.meta.current_page >= list.meta.last_page || list.data.length === 0)
          return views;
      }
    },
    /** Registers our `/webhooks/points` URL (or `url`) with Points. */
    async registerWebhook(input: { name?: string; url?: string } = {}): Promise<WebhookView> {
      const hook = await points.createWebhook({
        name: input.name ?? 'points-edge',
        url: input.url ?? ourWebhookUrl(),
      });
      return webhookView(hook);
    },
    async deleteWebhook(uuid: string): Promise<void> {
      await points.deleteWebhook(uuid);
    },

    async listDeliveries(): Promise<DeliveryView[]> {
      const rows = await ctx.store.db
        .selectFrom('jobs')
        .select(['id', 'lane', 'kind', 'attempts', 'last_error', 'created_at', 'updated_at'])
        .where('state', '=', 'dead')
        .orderBy('updated_at', 'desc')
        .limit(200)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        lane: row.lane,
        kind: row.kind,
        attempts: row.attempts,
        lastError: row.last_error,
        createdAt: new Date(Number(row.created_at)).toISOString(),
        updatedAt: new Date(Number(row.updated_at)).toISOString(),
      }));
    },
    async replayDelivery(id: string): Promise<void> {
      if (!(await replayJob(ctx.store.db, id, ctx.now()))) {
        throw new OperationError('not_found', `No dead-lettered delivery ${id}.`);
      }
      ctx.wakeWorker();
    },

    async reconcile(
      options: { full?: boolean; onProgress?: (done: number, total: number) => void } = {},
    ): Promise<ReconcileReport> {
      const report = await reconcileOrders(ctx, points, options);
      onReconciled?.(report);
      return report;
    },
  };

  function ourWebhookUrl(): string {
    return `${ctx.config.publicUrl}/webhooks/points`;
  }

  function webhookView(hook: WebhookResource): WebhookView {
    return {
      uuid: hook.uuid,
      name: hook.name,
      url: hook.url,
      ours: hook.url === ourWebhookUrl(),
      createdAt: hook.created_at ?? null,
    };
  }
}

export type Operations = ReturnType<typeof createOperations>;
