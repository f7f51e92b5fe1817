import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Operations } from '../admin/operations.ts';
import type { EdgeContext } from '../edge-context.ts';
import { readJsonBody } from '../http/json-body.ts';
import { checkedParams } from '../http/path-params.ts';
import { calendarDay, plainText } from '../http/plain-text.ts';
import { fieldErrors, ProblemError } from '../http/problem.ts';
import { orderStates } from '../orders/order-state.ts';
import { findOrder } from '../orders/repository.ts';
import { shippingStatusSchema } from '../points/schemas.ts';
import { platformIds } from '../connectors/registry.ts';
import { acknowledgeAlert, listAlerts } from '../observability/alert-store.ts';
import { audited, listConsoleActions, recordConsoleAction, whoOf, type ConsoleAction } from './audit-log.ts';
import { connectorSummaries } from './connector-summary.ts';
import { dailyActivity } from './daily-activity.ts';
import { orderTimeline } from './order-timeline.ts';
import { searchOrders } from './order-search.ts';
import { mayAct } from './operators.ts';
import { overview } from './overview.ts';
import type { ConsoleEnv } from './require-session.ts';

const orderQuery = z.strictObject({
  q: plainText(200).optional(),
  state: z.enum(orderStates).optional(),
  from: calendarDay.optional(),
  to: calendarDay.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const auditQuery = z.strictObject({
  subject: plainText(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const activityQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(14) });
const refundBody = z.strictObject({
  amount: z
    .string()
    .regex(/^\d+(\.\d{1,2})?$/, 'A SAR amount with at most 2 decimals')
    .optional(),
  reason: z.string().max(500).optional(),
});
const cancelBody = z.strictObject({ reason: z.string().max(500).optional() });
const shipBody = z.strictObject({ status: shippingStatusSchema });

/** The path parameters: an order number as Points takes one, a job or alert id. */
const pathParams = z.object({ orderNumber: plainText(255).optional(), id: plainText(255).optional() });

/** Every action route and the action it is (a pattern such as `/orders/:n/:action` would not fit Hono's RegExpRouter). */
const actionRoutes: Record<string, ConsoleAction> = {
  '/orders/:orderNumber/refund': 'refund',
  '/orders/:orderNumber/cancel': 'cancel',
  '/orders/:orderNumber/ship': 'ship',
  '/orders/:orderNumber/reread': 'reread',
  '/deliveries/:id/replay': 'replay',
  '/alerts/:id/acknowledge': 'acknowledge_alert',
};

/** Console bodies are JSON (the CSRF token rides in a header); an empty one is `{}`. */
const readBody = <S extends z.ZodType>(c: Context, schema: S) =>
  readJsonBody(c, schema, { empty: {}, requireJsonType: true });

/**
 * `/console/api`: what the console's pages read and do, as JSON, behind a session (`require-session.ts`).
 * Reads come from the tables; actions go through the same {@link Operations} as the CLI and `/admin`, and
 * each answers the order as Points now holds it. Only a manager acts: a viewer's action is refused (403
 * `operator_forbidden`) before its body is read, and the refusal goes to the audit log.
 *
 * @example
 * api.route('/', consoleApi(ctx, operations));
 * // GET /console/api/orders?q=0500000001 → the orders of that phone, the phone masked
 */
export function consoleApi(ctx: EdgeContext, ops: Operations): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();

  /** Runs an action of the signed-in operator and writes it, and what became of it, to the audit log. */
  const act = <T extends { pointsStatus?: string | null } | { replayed: string }>(
    c: Context<ConsoleEnv>,
    action: ConsoleAction,
    subject: string,
    request: Record<string, unknown>,
    run: () => Promise<T>,
  ) =>
    audited(
      ctx.store.db,
      ctx.now,
      { ...whoOf(c.get('consoleSession')), action, subject, request },
      run,
      (answer) => ('pointsStatus' in answer ? (answer.pointsStatus ?? null) : null),
    );

  // Checked before anything else, the managers-only guard's audit line included.
  for (const path of [
    '/orders/:orderNumber',
    '/orders/:orderNumber/*',
    '/deliveries/:id/*',
    '/alerts/:id/*',
  ]) {
    app.use(path, checkedParams(pathParams));
  }

  // Every write here is an action, and every action is a manager's; on every method, so none is missed.
  for (const [path, action] of Object.entries(actionRoutes)) {
    app.on(['POST', 'PUT', 'PATCH', 'DELETE'], path, async function managersOnly(c, next) {
      const session = c.get('consoleSession');
      if (mayAct(session.role)) return next();
      await recordConsoleAction(ctx.store.db, ctx.now(), {
        ...whoOf(session),
        action,
        subject: c.req.param('orderNumber') ?? c.req.param('id'),
        result: 'operator_forbidden',
        detail: `a ${session.role} may not act`,
      });
      throw new ProblemError('operator_forbidden', `A ${session.role} may look but not ${action}.`);
    });
  }

  app.get('/overview', async (c) => c.json(await overview(ctx)));
  /**
   * The overview's charts: `days` days (default 14, today the last) of orders, points and webhooks, in the
   * merchant's time zone, which the answer names: `{ timeZone, days }`.
   */
  app.get('/activity', async (c) => {
    const query = activityQuery.safeParse(c.req.query());
    if (!query.success) {
      throw new ProblemError('validation_failed', 'Invalid query.', fieldErrors(query.error.issues));
    }
    const { timeZone } = ctx.config;
    return c.json({
      timeZone,
      days: await dailyActivity(ctx.store.db, ctx.now(), query.data.days, timeZone),
    });
  });

  app.get('/connectors', async (c) => {
    if (Object.keys(c.req.query()).length > 0) {
      throw new ProblemError('validation_failed', 'This list takes no parameters.');
    }
    const configured = ctx.config.connectors.map((connector) => connector.id);
    return c.json(await connectorSummaries(ctx.store.db, platformIds, configured));
  });

  app.get('/orders', async (c) => {
    const query = orderQuery.safeParse(c.req.query());
    if (!query.success) {
      throw new ProblemError('validation_failed', 'Invalid query.', fieldErrors(query.error.issues));
    }
    const { q, state, from, to, limit } = query.data;
    return c.json(
      await searchOrders(ctx.store.db, {
        ...(q ? { q } : {}),
        ...(state ? { state } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(limit ? { limit } : {}),
      }),
    );
  });

  app.get('/orders/:orderNumber', async (c) => {
    const orderNumber = c.req.param('orderNumber');
    const { order } = await ops.getOrder(orderNumber);
    const row = await findOrder(ctx.store.db, orderNumber);
    return c.json({ order, timeline: row ? await orderTimeline(ctx.store.db, row) : [] });
  });

  app.post('/orders/:orderNumber/refund', async (c) => {
    const body = await readBody(c, refundBody);
    const orderNumber = c.req.param('orderNumber');
    const refund = {
      ...(body.amount ? { amount: body.amount } : {}),
      ...(body.reason ? { reason: body.reason } : {}),
    };
    return c.json(await act(c, 'refund', orderNumber, refund, () => ops.refund(orderNumber, refund)));
  });
  app.post('/orders/:orderNumber/cancel', async (c) => {
    const body = await readBody(c, cancelBody);
    const orderNumber = c.req.param('orderNumber');
    const cancel = body.reason ? { reason: body.reason } : {};
    return c.json(await act(c, 'cancel', orderNumber, cancel, () => ops.cancel(orderNumber, cancel)));
  });
  app.post('/orders/:orderNumber/ship', async (c) => {
    const body = await readBody(c, shipBody);
    const orderNumber = c.req.param('orderNumber');
    return c.json(
      await act(c, 'ship', orderNumber, { status: body.status }, () =>
        ops.ship(orderNumber, { status: body.status }),
      ),
    );
  });
  /** Re-reads the order from Points and applies it: our copy as Points holds it now. */
  app.post('/orders/:orderNumber/reread', async (c) => {
    await readBody(c, z.strictObject({}));
    const orderNumber = c.req.param('orderNumber');
    return c.json(
      await act(c, 'reread', orderNumber, {}, async () => {
        const { order, points } = await ops.getOrder(orderNumber, { live: true });
        return { order, pointsStatus: points?.order_status ?? null };
      }),
    );
  });

  app.get('/deliveries', async (c) => c.json(await ops.listDeliveries()));
  app.post('/deliveries/:id/replay', async (c) => {
    await readBody(c, z.strictObject({}));
    const id = c.req.param('id');
    return c.json(
      await act(c, 'replay', id, {}, async () => {
        await ops.replayDelivery(id);
        return { replayed: id };
      }),
    );
  });

  /** The open alerts (see `alert-store.ts` for what open means) and the latest closed ones. */
  app.get('/alerts', async (c) => {
    if (Object.keys(c.req.query()).length > 0) {
      throw new ProblemError('validation_failed', 'This list takes no parameters.');
    }
    return c.json(await listAlerts(ctx.store.db, ctx.now()));
  });
  /** Closes an open alert: the operator has seen it. Acknowledging one twice changes nothing. */
  app.post('/alerts/:id/acknowledge', async (c) => {
    await readBody(c, z.strictObject({}));
    const id = c.req.param('id');
    const who = whoOf(c.get('consoleSession'));
    return c.json(
      await audited(
        ctx.store.db,
        ctx.now,
        { ...who, action: 'acknowledge_alert', subject: id.slice(0, 200) },
        async () => {
          const answer = await acknowledgeAlert(ctx.store.db, id, who.operator, ctx.now());
          if (!answer) throw new ProblemError('not_found', 'No alert has this id.');
          return answer;
        },
        (answer) => `${answer.alert.kind}${answer.changed ? '' : ' (acknowledged before)'}`,
      ),
    );
  });

  /** The audit log: what operators did, newest first (`subject`: about one order or job). */
  app.get('/audit', async (c) => {
    const query = auditQuery.safeParse(c.req.query());
    if (!query.success) {
      throw new ProblemError('validation_failed', 'Invalid query.', fieldErrors(query.error.issues));
    }
    return c.json(await listConsoleActions(ctx.store.db, query.data));
  });

  return app;
}
