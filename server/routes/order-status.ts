import { Hono } from 'hono';
import type { EdgeContext } from '../edge-context.ts';
import { ProblemError } from '../http/problem.ts';
import { halalasToSarText } from '../money.ts';
import type { OrderStatusBody } from '../../wire/order-status.ts';
import { publicOrderState } from '../orders/order-state.ts';
import { findOrder } from '../orders/repository.ts';
import { orderNumber } from '../orders/resolved-order.ts';
import { verifyStatusToken } from '../orders/status-token.ts';

/**
 * `GET /orders/:orderNumber/status?token=…`: the public view of one order for `<points-order-status>`.
 * The token (from the callback redirect) is checked in constant time; without it, nothing is revealed,
 * not even whether the order exists.
 */
export function orderStatusRoutes(ctx: EdgeContext): Hono {
  const app = new Hono();

  app.get('/orders/:orderNumber/status', async (c) => {
    const number = orderNumber.safeParse(c.req.param('orderNumber'));
    const token = c.req.query('token') ?? '';
    if (!number.success || !(await verifyStatusToken(ctx.statusKey, number.data, token, ctx.now()))) {
      throw new ProblemError('unauthorized', 'A valid status token is required.');
    }
    const row = await findOrder(ctx.store.db, number.data);
    if (!row) throw new ProblemError('order_not_found', 'No such order.');
    c.header('cache-control', 'no-store');
    const body: OrderStatusBody = {
      orderNumber: row.order_number,
      ...publicOrderState(row.state),
      amount: halalasToSarText(row.expected_total_halalas),
      ...(row.settled_total_halalas !== null
        ? { settledAmount: halalasToSarText(row.settled_total_halalas) }
        : {}),
      ...(row.refunded_halalas > 0 ? { refundedAmount: halalasToSarText(row.refunded_halalas) } : {}),
      // On a checkout (replacing) order, Points' total_points are the points the shopper paid with.
      ...(row.type === 'replacing' && row.total_points ? { pointsRedeemed: row.total_points } : {}),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
    return c.json(body);
  });

  return app;
}
