import { Hono, type Context } from 'hono';
import { merchantByKey, requirePrivateKey, type ApiEnv } from '../auth.ts';
import type { Core } from '../core.ts';
import { fail, invalid, ok, validate } from '../envelope.ts';
import { toHalalas } from '../money.ts';
import type { Order } from '../store.ts';
import { createCheckout } from './checkout.ts';
import { requestLang, statusLabel, toOrderResource } from './resource.ts';
import {
  cancelRequest,
  checkoutRequest,
  completeRequest,
  refundRequest,
  shippingStatusRequest,
} from './schemas.ts';
import { authorize, cancel, capture, complete, refund, type Refusal } from './transitions.ts';

/** Answers an order as the REST `OrderResource`, in the request's locale. */
export function orderResponse(c: Context, core: Core, order: Order) {
  const lang = requestLang(c.req.query('lang'), c.req.header('accept-language'));
  return ok(c, toOrderResource(order, lang, core.now()));
}

/**
 * Checkout, read and order operations (§2.2, §2.3, §2.7–§2.12). Earning lives in `earning.ts`.
 *
 * @example
 * api.route('/v1/orders', orderRoutes(core));
 */
export function orderRoutes(core: Core) {
  const app = new Hono<ApiEnv>();

  app.post('/checkout/:publicKey', async (c) => {
    const merchant = merchantByKey(core, c.req.param('publicKey'), 'publicKey');
    if (!merchant) return fail(c, 400, 'Invalid or inactive API key');
    if (!merchant.channels.checkout) return fail(c, 403, 'Merchant is not allowed to create checkout orders');
    const body = await validate(c, checkoutRequest);
    if (body instanceof Response) return body;
    const result = createCheckout(core, merchant, body);
    if ('taken' in result) return invalid(c, { order_number: ['The order number has already been taken.'] });
    return ok(c, { checkout_url: `${core.options.baseUrl}/session/${result.session.id}` });
  });

  const auth = requirePrivateKey(core);

  /** The caller's own order, or undefined (another merchant's order is a 404 too). */
  function ownOrder(c: Context<ApiEnv>): Order | undefined {
    const order = core.store.orders.get(c.req.param('uuid') ?? '');
    return order && order.merchantId === c.get('merchant').id ? order : undefined;
  }

  function answer(c: Context<ApiEnv>, result: Order | Refusal) {
    return 'refused' in result ? fail(c, 400, result.refused) : orderResponse(c, core, result);
  }

  app.get('/:uuid', auth, (c) => {
    const order = ownOrder(c);
    return order ? orderResponse(c, core, order) : fail(c, 404, 'Order not found');
  });

  app.post('/:uuid/authorize', auth, (c) => {
    const order = ownOrder(c);
    return order ? answer(c, authorize(core, order)) : fail(c, 404, 'Order not found');
  });

  app.post('/:uuid/capture', auth, (c) => {
    const order = ownOrder(c);
    return order ? answer(c, capture(core, order)) : fail(c, 404, 'Order not found');
  });

  app.post('/:uuid/complete', auth, async (c) => {
    const order = ownOrder(c);
    if (!order) return fail(c, 404, 'Order not found');
    const body = await validate(c, completeRequest);
    if (body instanceof Response) return body;
    return answer(c, complete(core, order, body.payment_method ?? null));
  });

  app.post('/:uuid/cancel', auth, async (c) => {
    const order = ownOrder(c);
    if (!order) return fail(c, 404, 'Order not found');
    const body = await validate(c, cancelRequest);
    if (body instanceof Response) return body;
    return answer(c, cancel(core, order, body.reason ?? null));
  });

  app.post('/:uuid/refund', auth, async (c) => {
    const order = ownOrder(c);
    if (!order) return fail(c, 404, 'Order not found');
    const body = await validate(c, refundRequest);
    if (body instanceof Response) return body;
    const amount = body.amount == null ? null : toHalalas(body.amount);
    return answer(c, refund(core, order, amount, body.reason ?? null));
  });

  app.post('/:uuid/status', auth, async (c) => {
    const order = ownOrder(c);
    if (!order) return fail(c, 404, 'Order not found');
    const body = await validate(c, shippingStatusRequest);
    if (body instanceof Response) return body;
    if (body.status) order.shippingStatus = body.status;
    if (body.name_ar || body.name_en) {
      // The backend machine-translates a missing label; the sandbox copies the given one (the documented fallback).
      const ar = body.name_ar ?? body.name_en ?? '';
      const en = body.name_en ?? body.name_ar ?? '';
      order.customStatus = { ar, en };
    }
    order.updatedAt = core.now();
    // The webhook's label is English [INF]: the backend has no request locale when it delivers.
    const extras = {
      status: order.shippingStatus,
      status_label: statusLabel(order, 'en'),
      custom_status: order.customStatus,
    };
    core.emit(order, [{ event: 'shipping_status_updated', extras }]);
    return orderResponse(c, core, order);
  });

  return app;
}
