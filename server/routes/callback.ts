import { Hono } from 'hono';
import { z } from 'zod';
import type { EdgeContext } from '../edge-context.ts';
import type { RequestLimits } from '../http/rate-limit.ts';
import { applyAndAnnounce, pointsOrderNumber } from '../orders/apply-points-order.ts';
import { callbackNonceMatches, callbackNonceParameter } from '../orders/callback-nonce.ts';
import { settledStates, type OrderState } from '../orders/order-state.ts';
import { findOrder, type OrderRow } from '../orders/repository.ts';
import { orderNumber } from '../orders/resolved-order.ts';
import { signStatusToken } from '../orders/status-token.ts';

const uuidHint = z.guid();

/** Which return page a state sends the shopper to. */
function outcomeOf(state: OrderState | undefined): 'success' | 'pending' | 'failure' {
  if (state === 'confirmed' || state === 'partially_refunded') return 'success';
  if (state === 'pending' || state === 'authorized' || state === 'amount_mismatch') return 'pending';
  return 'failure';
}

/**
 * `GET /callback`: where the hosted checkout sends the shopper back. Only a callback carrying the nonce of
 * the order's current checkout session (put in `callback_url` by `/checkout`) is answered for the order;
 * any other gets the failure page with no order and no token. The Points look-ups a client's returns cause
 * are throttled (`limits.callbacks`); over the limit the shopper still gets a page, answered from our row
 * (many real shoppers share one carrier address, so a return is never refused). Other query parameters are hints, never
 * proof: the order is read from our database and, when it is not settled yet, from Points with our
 * private key. Then a 303 to the merchant's configured return page for the state (only configured URLs,
 * so never an open redirect), with the order number and a signed status token for `<points-order-status>`.
 */
export function callbackRoutes(ctx: EdgeContext, limits: RequestLimits): Hono {
  const app = new Hono();

  async function refresh(row: OrderRow, hint: string | undefined, client: string): Promise<OrderRow> {
    // A hint naming another Points order than the one we follow may be a newer session the shopper paid.
    const uuid = hint && hint !== row.points_uuid ? hint : row.points_uuid;
    if (!uuid || (uuid === row.points_uuid && settledStates.has(row.state))) return row;
    if ((await limits.callbacks.take(client)) !== undefined) {
      // Pending until the webhook (or reconciliation) settles it; the return page keeps polling our row.
      ctx.logger.warn(
        { orderNumber: row.order_number },
        'callback look-ups over the limit; answered from our row',
      );
      return row;
    }
    try {
      const order = await ctx.points.getOrder(uuid);
      if (pointsOrderNumber(order) !== row.order_number) {
        ctx.logger.warn({ orderNumber: row.order_number }, 'callback uuid hint names another order; ignored');
        return row;
      }
      await applyAndAnnounce(ctx, order, 'callback');
      return (await findOrder(ctx.store.db, row.order_number)) ?? row;
    } catch (error) {
      // The shopper still gets a page: pending until the webhook (or reconciliation) settles it.
      ctx.logger.warn({ err: error, orderNumber: row.order_number }, 'callback could not ask Points');
      return row;
    }
  }

  app.get('/callback', async (c) => {
    c.header('cache-control', 'no-store');
    const number = orderNumber.safeParse(c.req.query('order') ?? c.req.query('order_number') ?? '');
    const hint = uuidHint.safeParse(c.req.query('order_uuid') ?? c.req.query('uuid') ?? '');
    const found = number.success ? await findOrder(ctx.store.db, number.data) : undefined;
    // Only the session's nonce proves this is the shopper Points sent back. Without it, a known order
    // number gets exactly the answer an unknown one gets: no token, no Points look-up, nothing learned.
    const nonce = (c.req.query(callbackNonceParameter) ?? '').slice(0, 100);
    let row = (await callbackNonceMatches(found?.callback_nonce_hashes, nonce)) ? found : undefined;
    if (row) row = await refresh(row, hint.success ? hint.data.toLowerCase() : undefined, limits.client(c));

    const outcome = outcomeOf(row?.state);
    const configured = ctx.config.returnUrls[outcome];
    const target = new URL(configured ?? `${ctx.config.publicUrl}/return`);
    if (!configured) target.searchParams.set('outcome', outcome);
    if (row) {
      target.searchParams.set('order', row.order_number);
      target.searchParams.set('token', await signStatusToken(ctx.statusKey, row.order_number, ctx.now()));
    }
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(target.toString(), 303);
  });

  return app;
}
