import type { z } from 'zod';
import type { Core } from '../core.ts';
import { toHalalas } from '../money.ts';
import type { Merchant, Order, Session, SessionEnd } from '../store.ts';
import type { checkoutRequest } from './schemas.ts';
import { cancelOrder } from './transitions.ts';

export type CheckoutBody = z.output<typeof checkoutRequest>;

export const expiredReason = 'Checkout session expired';
export const replacedReason = 'Replaced by a new checkout for the same order number';

function openSession(core: Core, order: Order): Session | undefined {
  const session = core.store.sessionForOrder(order.uuid);
  return session && session.step !== 'done' && session.expiresAt > core.now() ? session : undefined;
}

/**
 * Creates a replacing order in `new` and its hosted session (§2.2). With `checkoutDedupe:
 * 'reuse-open-session'`, the same order number and total while the session is open gives the same
 * session back; a different total cancels the open order and starts a new one. An order number whose
 * order was already paid is refused (`taken`) [INF].
 */
export function createCheckout(
  core: Core,
  merchant: Merchant,
  body: CheckoutBody,
): { session: Session } | { taken: true } {
  const totalHalalas = toHalalas(body.total_price);
  const earlier = core.store.findOrder(merchant.id, 2, body.order_number);
  if (earlier.some((o) => o.orderStatus !== 'new' && o.orderStatus !== 'cancelled')) return { taken: true };
  if (core.options.checkoutDedupe === 'reuse-open-session') {
    for (const order of earlier) {
      const session = openSession(core, order);
      if (!session) continue;
      if (order.totalHalalas === totalHalalas) return { session };
      endSession(session, 'replaced');
      cancelOrder(core, order, replacedReason);
    }
  }
  const optional = (sar: number | null | undefined) => (sar == null ? null : toHalalas(sar));
  const order = core.store.newOrder(
    {
      merchantId: merchant.id,
      orderNumber: body.order_number,
      type: 2,
      totalHalalas,
      shippingHalalas: optional(body.shipping_amount),
      taxHalalas: optional(body.tax_amount),
      discountHalalas: optional(body.discount_amount),
      shippingAddress: body.shipping_address ?? null,
      totalPoints: 0,
      orderStatus: 'new',
      metadata: body.metadata ?? null,
      items: body.products ?? null,
      phone: body.phone_number ?? null,
      name: body.name ?? null,
      callbackUrl: body.callback_url ?? null,
    },
    core.now(),
  );
  const session = core.store.newSession(order, core.now() + core.options.sessionTtlMs);
  // A phone sent with the checkout skips the phone step, unless it has no Points account.
  const customer = order.phone ? core.store.customer(order.phone) : undefined;
  if (customer?.account === 'active') {
    session.phone = customer.phone;
    session.step = 'otp';
  }
  return { session };
}

export function endSession(session: Session, why: SessionEnd): void {
  session.step = 'done';
  session.ended = why;
}

/** Cancels the orders of sessions that expired unpaid (fires `cancelled`) [INF]. */
export function expireSessions(core: Core): void {
  const now = core.now();
  for (const session of core.store.sessions.values()) {
    if (session.step === 'done' || session.expiresAt > now) continue;
    endSession(session, 'expired');
    const order = core.store.orders.get(session.orderUuid);
    if (order?.orderStatus === 'new') cancelOrder(core, order, expiredReason);
  }
}
