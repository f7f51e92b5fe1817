import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { EdgeContext } from '../edge-context.ts';
import { readJsonBody } from '../http/json-body.ts';
import { problem, ProblemError, tooManyRequests } from '../http/problem.ts';
import type { RequestLimits } from '../http/rate-limit.ts';
import { halalasToSar } from '../money.ts';
import { maxQuantityPerSku, priceCart, QuantityLimitError, UnknownSkuError } from '../orders/catalog.ts';
import { OrderTokenError, verifyOrderToken } from '../orders/order-token.ts';
import { callbackNonceParameter, newCallbackNonce, withNonce } from '../orders/callback-nonce.ts';
import { newCheckoutSessionId, withSessionMetadata } from '../orders/checkout-session.ts';
import { paymentStates } from '../orders/order-state.ts';
import { sleep } from '../shared/sleep.ts';
import { findOrder, recordNextSession, saveCheckoutSession, type OrderRow } from '../orders/repository.ts';
import { orderNumber, type ResolvedOrder } from '../orders/resolved-order.ts';
import { acquireLease, releaseLease } from '../store/leases.ts';

const checkoutBodySchema = z.union([
  z.strictObject({ orderToken: z.string().min(1).max(8192) }),
  z.strictObject({ orderNumber }),
  z.strictObject({
    items: z
      .array(
        z.strictObject({
          sku: z.string().trim().min(1).max(100),
          quantity: z.number().int().min(1).max(maxQuantityPerSku),
        }),
      )
      .min(1)
      .max(100),
  }),
]);

/** How long a checkout's lease on its order lasts: past the Points client's 30 s timeout and a retry. */
const checkoutLeaseMs = 60_000;
/**
 * How a checkout waits for another instance's checkout of the same order: how often it looks for its
 * session and tries the lease again (two queries a look), and how many looks at most. On D1 each query counts
 * towards the invocation's budget (50 on the free plan; docs/workers.md), so there it looks less often and
 * gives up sooner: 10 looks, 2.5 s, 20 queries.
 */
const leaseWaits = {
  postgres: { pollMs: 50, maxPolls: Infinity },
  d1: { pollMs: 250, maxPolls: 10 },
};

/**
 * `POST /checkout`: resolves the order from a trusted source (signed token, `resolveOrder` hook, or the
 * catalog), starts a Points checkout session for it and answers `{ checkoutUrl, orderNumber }`.
 * The same order while its session is still open gets the same session; a changed amount gets a new one.
 */
export function checkoutRoutes(ctx: EdgeContext, limits: RequestLimits): Hono {
  const app = new Hono();

  /** The order the body names, from its trusted source; throws the problem when there is none. */
  async function resolve(body: z.output<typeof checkoutBodySchema>): Promise<ResolvedOrder> {
    if ('orderToken' in body) {
      if (!ctx.config.orderTokenSecret) {
        throw new ProblemError('not_configured', 'Order tokens are not enabled on this server.');
      }
      try {
        // On the wall clock, as `exp` itself is checked.
        return await verifyOrderToken(body.orderToken, ctx.config.orderTokenSecret, {
          maxLifetimeSeconds: ctx.config.orderTokenMaxLifetimeSeconds,
        });
      } catch (error) {
        if (!(error instanceof OrderTokenError)) throw error;
        ctx.logger.warn({ reason: error.message }, 'order token refused');
        throw new ProblemError('invalid_order_token', 'The order token is invalid or has expired.');
      }
    }
    if ('orderNumber' in body) {
      if (!ctx.resolveOrder) {
        throw new ProblemError('not_configured', 'Checkout by order number is not enabled on this server.');
      }
      const order = await ctx.resolveOrder(body.orderNumber);
      if (!order) throw new ProblemError('order_not_found', 'No such order.');
      return order;
    }
    if (!ctx.catalog) {
      throw new ProblemError('not_configured', 'Catalog pricing is not enabled on this server.');
    }
    try {
      const number = `ORD-${ctx.now().toString(36).toUpperCase()}-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
      return priceCart(ctx.catalog, number, body.items);
    } catch (error) {
      if (error instanceof QuantityLimitError) {
        const detail = `At most ${maxQuantityPerSku} of one SKU per order.`;
        throw new ProblemError('validation_failed', detail, { items: [error.message] });
      }
      if (!(error instanceof UnknownSkuError)) throw error;
      throw new ProblemError('unknown_sku', `Unknown SKU: ${error.sku}`);
    }
  }

  app.post('/checkout', async (c) => {
    const body = await readJsonBody(c, checkoutBodySchema, {
      requireJsonType: true,
      invalidDetail: 'Send orderToken, orderNumber or items.',
    });
    const order = await resolve(body);
    const reused = await reusableSession(c, order);
    if (reused) return reused;
    // Only what would create a Points order counts: reusing an open session is free.
    const wait = await limits.checkouts.take(limits.client(c));
    if (wait !== undefined) {
      return tooManyRequests(
        c,
        'rate_limited',
        wait,
        'Too many checkouts from this address; try again later.',
      );
    }
    const turn = await waitForTurn(c, order);
    if (turn instanceof Response) return turn;
    try {
      // The holder before us may have saved its session between our last look and our turn.
      const existing = await findOrder(ctx.store.db, order.orderNumber);
      return sessionAnswer(c, order, existing) ?? (await startSession(c, order, existing));
    } finally {
      await turn();
    }
  });

  /** Orders whose session this process is starting, each with a promise that settles when it is done. */
  const starting = new Map<string, Promise<void>>();

  /**
   * Waits until this request may start the order's session: one Points call in flight per order. In this
   * process a promise per order; where several instances share the database (Postgres, or D1's isolates),
   * also a lease row (a SQLite file serves one process, so the promise is all it needs). Answers the session
   * a concurrent request made when there is one, 429 `checkout_in_progress` when the wait runs out, else the
   * release.
   */
  async function waitForTurn(c: Context, order: ResolvedOrder): Promise<Response | (() => Promise<void>)> {
    const giveUpAt = performance.now() + ctx.checkoutWaitMs;
    const busy = () =>
      tooManyRequests(
        c,
        'checkout_in_progress',
        2,
        'A checkout for this order is already being started; try again in a moment.',
      );
    for (let running = starting.get(order.orderNumber); running; running = starting.get(order.orderNumber)) {
      const remaining = giveUpAt - performance.now();
      if (remaining <= 0) return busy();
      const timer = new AbortController();
      await Promise.race([running, sleep(remaining, timer.signal).catch(() => {})]);
      timer.abort();
      const made = await reusableSession(c, order);
      if (made) return made;
    }
    let settle = () => {};
    starting.set(order.orderNumber, new Promise<void>((resolve) => (settle = resolve)));
    const releaseHere = () => {
      starting.delete(order.orderNumber);
      settle();
    };
    if (ctx.store.engine === 'sqlite') return async () => releaseHere();

    const lease = `checkout:${order.orderNumber}`;
    const holder = `checkout-${crypto.randomUUID()}`;
    const { pollMs, maxPolls } = leaseWaits[ctx.store.engine];
    let polls = 0;
    try {
      while (!(await acquireLease(ctx.store, lease, holder, checkoutLeaseMs, ctx.now()))) {
        const made =
          performance.now() < giveUpAt && polls++ < maxPolls
            ? await sleep(pollMs).then(() => reusableSession(c, order))
            : busy();
        if (made) {
          releaseHere();
          return made;
        }
      }
    } catch (error) {
      // Else this order's next checkouts in this process would wait on a turn nobody gives back.
      releaseHere();
      throw error;
    }
    return async () => {
      try {
        await releaseLease(ctx.store, lease, holder);
      } finally {
        releaseHere();
      }
    };
  }

  /** The answer for an order that needs no new session (read now): see {@link sessionAnswer}. */
  async function reusableSession(c: Context, order: ResolvedOrder): Promise<Response | undefined> {
    return sessionAnswer(c, order, await findOrder(ctx.store.db, order.orderNumber));
  }

  /** The answer for an order that needs no new session: already paid, or its open session for this amount. */
  function sessionAnswer(
    c: Context,
    order: ResolvedOrder,
    existing: OrderRow | undefined,
  ): Response | undefined {
    if (existing && paymentStates.has(existing.state)) {
      return problem(c, 'order_already_paid', 'This order has already been paid.');
    }
    if (
      existing?.state === 'pending' &&
      existing.checkout_url &&
      (existing.checkout_expires_at ?? 0) > ctx.now() &&
      existing.expected_total_halalas === order.totalHalalas
    ) {
      return c.json({ checkoutUrl: existing.checkout_url, orderNumber: order.orderNumber });
    }
    return undefined;
  }

  /** Asks Points for a new checkout session and stores it; `existing` is our row of the order, read in this turn. */
  async function startSession(
    c: Context,
    order: ResolvedOrder,
    existing: OrderRow | undefined,
  ): Promise<Response> {
    const now = ctx.now();
    // The nonce binds the callback to this session: only the shopper Points sends back holds it.
    const nonce = await newCallbackNonce();
    const callbackUrl = new URL(`${ctx.config.publicUrl}/callback`);
    callbackUrl.searchParams.set('order', order.orderNumber);
    callbackUrl.searchParams.set(callbackNonceParameter, nonce.nonce);
    const sessionId = newCheckoutSessionId();
    if (existing) await recordNextSession(ctx.store.db, existing, sessionId, now);
    // A failed call is answered by `app.onError` (`invalid_request`, `points_rejected` or `points_unavailable`).
    const session = await ctx.points.beginCheckout({
      order_number: order.orderNumber,
      total_price: halalasToSar(order.totalHalalas),
      callback_url: callbackUrl.toString(),
      ...(order.phone ? { phone_number: order.phone } : {}),
      ...(order.name ? { name: order.name } : {}),
      metadata: withSessionMetadata(order.metadata, sessionId),
      ...(order.products.length > 0
        ? {
            products: order.products.map((product) => ({
              product_name: product.name,
              product_price: halalasToSar(product.priceHalalas),
              quantity: product.quantity,
            })),
          }
        : {}),
    });

    await saveCheckoutSession(
      ctx.store.db,
      {
        order,
        sessionId,
        checkoutUrl: session.checkout_url,
        expiresAt: now + ctx.checkoutSessionTtlMs,
        callbackNonceHashes: withNonce(existing?.callback_nonce_hashes, nonce.hash),
      },
      now,
    );
    return c.json({ checkoutUrl: session.checkout_url, orderNumber: order.orderNumber });
  }

  return app;
}
