import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { requirePrivateKey, type ApiEnv } from '../auth.ts';
import type { Core } from '../core.ts';
import { fail, invalid, ok, validate } from '../envelope.ts';
import { toHalalas, toSar } from '../money.ts';
import type { Channel } from '../options.ts';
import type { Merchant, Order, ProductLine } from '../store.ts';
import { orderResponse } from './routes.ts';
import { earningRequest, productRatingRequest, storeRatingRequest } from './schemas.ts';

/** What an earning call asks for once its body is valid. */
interface EarningClaim {
  phone: string;
  orderNumber: string;
  /** Field that carries the dedupe key, for the duplicate error. */
  keyField: 'order_number' | 'review_reference';
  totalHalalas: number;
  points: number;
  name: string | null;
  items: ProductLine[] | null;
  metadata: Record<string, unknown> | null;
  amounts: Pick<Order, 'shippingHalalas' | 'taxHalalas' | 'discountHalalas' | 'shippingAddress'>;
}

const channelNames: Record<Exclude<Channel, 'checkout'>, string> = {
  earning: 'earning orders',
  store_rating: 'store rating earning orders',
  product_rating: 'product rating earning orders',
};

const noAmounts = { shippingHalalas: null, taxHalalas: null, discountHalalas: null, shippingAddress: null };

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * The three earning endpoints (§2.4–§2.6). They share the merchant's earning lock: a call that arrives
 * while another is in flight gets 429.
 *
 * @example
 * api.route('/v1/orders/earning', earningRoutes(core));
 */
export function earningRoutes(core: Core) {
  const app = new Hono<ApiEnv>();
  app.use('*', requirePrivateKey(core));

  function duplicate(c: Context<ApiEnv>, claim: EarningClaim, existing: Order | undefined) {
    const message = `The ${claim.keyField.replace('_', ' ')} has already been taken.`;
    const mode = core.options.duplicateEarning;
    if (mode === 'existing' && existing) return orderResponse(c, core, existing);
    if (mode === 'bad-request') return fail(c, 400, message);
    return invalid(c, { [claim.keyField]: [message] });
  }

  function award(merchant: Merchant, claim: EarningClaim) {
    const customer = core.store.customer(claim.phone);
    if (customer.account !== 'active') {
      const pending = core.store.newPendingEarning({
        merchantId: merchant.id,
        phone: claim.phone,
        orderNumber: claim.orderNumber,
        totalHalalas: claim.totalHalalas,
        totalPoints: claim.points,
      });
      return {
        pending_client_activation: true,
        pending_earning_order: {
          id: pending.id,
          merchant_order_number: pending.orderNumber,
          total_price: toSar(pending.totalHalalas),
          total_points: pending.totalPoints,
        },
      };
    }
    const now = core.now();
    const order = core.store.newOrder(
      {
        merchantId: merchant.id,
        orderNumber: claim.orderNumber,
        type: 1,
        totalHalalas: claim.totalHalalas,
        ...claim.amounts,
        totalPoints: claim.points,
        orderStatus: 'approved',
        metadata: claim.metadata,
        items: claim.items,
        phone: claim.phone,
        name: claim.name,
        callbackUrl: null,
      },
      now,
    );
    customer.balance += claim.points;
    core.emit(order, [{ event: 'approved' }]);
    return order;
  }

  async function earn(c: Context<ApiEnv>, claim: EarningClaim) {
    const merchant = c.get('merchant');
    if (merchant.earningLocked) {
      return fail(c, 429, 'Another earning request is being processed. Please retry shortly.');
    }
    merchant.earningLocked = true;
    try {
      await sleep(core.options.earningLatencyMs);
      const existing = core.store.findOrder(merchant.id, 1, claim.orderNumber)[0];
      const pending = core.store.pendingEarnings.some(
        (p) => p.merchantId === merchant.id && p.orderNumber === claim.orderNumber,
      );
      if (existing || pending) return duplicate(c, claim, existing);
      const result = award(merchant, claim);
      return 'uuid' in result ? orderResponse(c, core, result) : ok(c, result);
    } finally {
      merchant.earningLocked = false;
    }
  }

  function channelClosed(c: Context<ApiEnv>, channel: Exclude<Channel, 'checkout'>) {
    if (c.get('merchant').channels[channel]) return undefined;
    return fail(c, 403, `Merchant is not allowed to create ${channelNames[channel]}`);
  }

  app.post('/', async (c) => {
    const closed = channelClosed(c, 'earning');
    if (closed) return closed;
    const body = await validate(c, earningRequest);
    if (body instanceof Response) return body;
    const merchant = c.get('merchant');
    const optional = (sar: number | null | undefined) => (sar == null ? null : toHalalas(sar));
    const totalHalalas = toHalalas(body.total_price);
    return earn(c, {
      phone: body.phone_number,
      orderNumber: body.order_number,
      keyField: 'order_number',
      totalHalalas,
      points: Math.round((totalHalalas * merchant.earnRate) / 100),
      name: body.name ?? null,
      items: body.products,
      metadata: body.metadata ?? null,
      amounts: {
        shippingHalalas: optional(body.shipping_amount),
        taxHalalas: optional(body.tax_amount),
        discountHalalas: optional(body.discount_amount),
        shippingAddress: body.shipping_address ?? null,
      },
    });
  });

  function ratingClaim(body: z.output<typeof storeRatingRequest>, points: number): EarningClaim {
    return {
      phone: body.phone_number,
      orderNumber: body.review_reference,
      keyField: 'review_reference',
      totalHalalas: 0,
      points,
      name: null,
      items: null,
      metadata: body.metadata ?? null,
      amounts: noAmounts,
    };
  }

  app.post('/store-rating', async (c) => {
    const closed = channelClosed(c, 'store_rating');
    if (closed) return closed;
    const body = await validate(c, storeRatingRequest);
    if (body instanceof Response) return body;
    return earn(c, ratingClaim(body, core.options.storeRatingPoints));
  });

  app.post('/product-rating', async (c) => {
    const closed = channelClosed(c, 'product_rating');
    if (closed) return closed;
    const body = await validate(c, productRatingRequest);
    if (body instanceof Response) return body;
    return earn(c, ratingClaim(body, core.options.productRatingPoints));
  });

  return app;
}
