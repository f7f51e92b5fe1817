import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { adminRoutes } from './admin.ts';
import { driveCheckout, goodCard, type CompleteCheckoutOptions } from './checkout-pages/drive.ts';
import { callbackTarget } from './checkout-pages/flow.ts';
import { checkoutPages } from './checkout-pages/routes.ts';
import { createCore, type Core } from './core.ts';
import { fail } from './envelope.ts';
import { integrationRoutes } from './integration.ts';
import { toSar } from './money.ts';
import { expireSessions } from './orders/checkout.ts';
import { earningRoutes } from './orders/earning.ts';
import { toOrderResource } from './orders/resource.ts';
import { orderRoutes } from './orders/routes.ts';
import { autoRefund } from './orders/transitions.ts';
import {
  channels,
  resolveOptions,
  type Channel,
  type DeliveryKnobs,
  type MerchantSetup,
  type SandboxOptions,
} from './options.ts';
import { normalizeSaudiPhone } from '../../server/shared/saudi-phone.ts';
import {
  fixtureBalance,
  fixturePhones,
  newWebhookSecret,
  SandboxStore,
  type Merchant,
  type Order,
} from './store.ts';
import { createDeliveryEngine, type DeliveryAttempt } from './webhooks/delivery.ts';
import { webhookRoutes } from './webhooks/routes.ts';

export type { SandboxOptions, Channel, DeliveryKnobs, CallbackParam, MerchantSetup } from './options.ts';
export type { DeliveryAttempt } from './webhooks/delivery.ts';
export { fixturePhones, fixtureBalance } from './store.ts';
export { goodCard, type CompleteCheckoutOptions } from './checkout-pages/drive.ts';
export {
  buildDelivery,
  playScenario,
  platformNames,
  scenarios,
  type BuiltDelivery,
  type PlatformName,
  type PlayerCredentials,
  type PlayerOrder,
  type PlayerStep,
} from './platforms/index.ts';

/** An order with the sandbox-only fields the REST resource hides. */
export type SandboxOrder = ReturnType<typeof toSandboxOrder>;

function toSandboxOrder(core: Core, order: Order) {
  const session = core.store.sessionForOrder(order.uuid);
  return {
    ...toOrderResource(order, 'en', core.now()),
    merchant_id: order.merchantId,
    phone_number: order.phone,
    name: order.name,
    callback_url: order.callbackUrl,
    payment_method: order.paymentMethod,
    redeemed_points: order.redeemedPoints,
    cash_amount: toSar(order.cashHalalas),
    refunded_amount: toSar(order.refundedHalalas),
    refunded_points: order.refundedPoints,
    cancel_reason: order.cancelReason,
    session_id: session?.id ?? null,
    session_ended: session?.ended ?? null,
  };
}

function merchantInfo(merchant: Merchant) {
  return { id: merchant.id, name: merchant.name, publicKey: merchant.publicKey, earnRate: merchant.earnRate };
}

/**
 * A faithful local simulator of the Points API (`/api/v1/…`), its hosted checkout (`/session/:id`) and
 * its webhook delivery, with test controls (`/sandbox/…` and the methods below).
 *
 * @example
 * const sandbox = createSandbox({ webhookUrl: 'http://127.0.0.1:8787/webhooks/points', webhookSecret: 'test_webhook_secret' });
 * serve({ fetch: sandbox.app.fetch, port: 4010 });
 * // or in tests: await sandbox.app.request('/api/v1/orders/…', { headers: { 'x-api-key': 'sandbox_private_key_demo' } });
 */
export function createSandbox(input: SandboxOptions = {}) {
  const options = resolveOptions(input);
  const store = new SandboxStore();
  const knobs = {
    duplicateEvery: options.duplicateEvery,
    duplicateRate: options.duplicateRate,
    reorder: options.reorder,
    delayMs: options.delayMs,
  };
  const engine = createDeliveryEngine({
    fetch: options.fetch,
    now: options.now,
    timeoutMs: options.webhookTimeoutMs,
    retries: options.webhookRetries,
    backoffMs: options.webhookBackoffMs,
    knobs,
  });
  const core = createCore(options, store, engine);

  function merchantFor(publicKey?: string): Merchant {
    const merchant = publicKey ? store.merchants.find((m) => m.publicKey === publicKey) : store.merchants[0];
    if (!merchant) throw new Error(`No merchant with public key ${publicKey ?? '(default)'}`);
    return merchant;
  }

  function addMerchant(setup: MerchantSetup) {
    return merchantInfo(store.addMerchant({ ...setup, earnRate: setup.earnRate ?? options.earnRate }));
  }

  function seed(): void {
    store.clear();
    const merchant = store.addMerchant({
      publicKey: options.publicKey,
      privateKey: options.privateKey,
      name: 'Sandbox Store',
      earnRate: options.earnRate,
    });
    for (const extra of options.merchants) addMerchant(extra);
    if (options.webhookUrl) {
      const now = options.now();
      store.webhooks.push({
        uuid: crypto.randomUUID(),
        merchantId: merchant.id,
        name: 'Sandbox webhook',
        url: options.webhookUrl,
        secret: options.webhookSecret ?? newWebhookSecret(),
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  seed();

  const app = new Hono();
  const sweep = setInterval(() => expireSessions(core), 1000);
  sweep.unref();

  const sandbox = {
    app,
    /** Resolved options (keys, base URL, OTP…). */
    options,
    /** Back to the initial state: fixtures, default merchant, start webhook; empties the delivery log. */
    reset(): void {
      seed();
      engine.clearLog();
      Object.assign(knobs, {
        duplicateEvery: options.duplicateEvery,
        duplicateRate: options.duplicateRate,
        reorder: options.reorder,
        delayMs: options.delayMs,
      });
    },
    /** Points per SAR for purchase earning of the default merchant (or the one with `publicKey`). */
    setEarnRate(rate: number, publicKey?: string): void {
      if (!(rate > 0)) throw new Error('The earn rate must be a positive number.');
      merchantFor(publicKey).earnRate = rate;
    },
    /** Switches an earning/checkout channel, or the merchant's `verified` flag (webhook create/update/delete). */
    setChannel(channel: Channel | 'verified', enabled: boolean, publicKey?: string): void {
      const merchant = merchantFor(publicKey);
      if (channel === 'verified') merchant.verified = enabled;
      else if (channels.includes(channel)) merchant.channels[channel] = enabled;
      else throw new Error(`Unknown channel ${String(channel)}`);
    },
    /** Changes the delivery knobs at run time; returns the knobs now in force. */
    setDelivery(change: DeliveryKnobs): Required<DeliveryKnobs> {
      for (const [key, value] of Object.entries(change)) {
        if (value !== undefined) Object.assign(knobs, { [key]: value });
      }
      return { ...knobs };
    },
    /** Adds a merchant (for cross-merchant tests); dropped again by `reset()` unless given as an option. */
    addMerchant,
    /** Points' internal reversal of a replacing order: fires `auto_refunded`. */
    fireAutoRefund(orderUuid: string): SandboxOrder {
      const order = store.orders.get(orderUuid);
      if (!order) throw new Error('Order not found');
      const result = autoRefund(core, order);
      if ('refused' in result) throw new Error(result.refused);
      return toSandboxOrder(core, order);
    },
    getOrder(uuid: string): SandboxOrder | undefined {
      expireSessions(core);
      const order = store.orders.get(uuid);
      return order && toSandboxOrder(core, order);
    },
    /** The newest order with this merchant order number (a leading `#` is ignored), any merchant. */
    findOrderByNumber(orderNumber: string): SandboxOrder | undefined {
      expireSessions(core);
      const wanted = orderNumber.replace(/^#/, '');
      const order = [...store.orders.values()].filter((o) => o.orderNumber === wanted).at(-1);
      return order && toSandboxOrder(core, order);
    },
    /** A customer's account state and balance, by any §1.7 phone format. */
    customer(phone: string) {
      const normalised = normalizeSaudiPhone(phone);
      if (!normalised) return undefined;
      const { account, balance } = store.customer(normalised);
      return { phone: normalised, account, balance };
    },
    /** Every webhook delivery attempt so far, oldest first. */
    deliveries(): DeliveryAttempt[] {
      return engine.attempts.map((a) => ({ ...a, headers: { ...a.headers } }));
    },
    /** Resolves when no webhook delivery (retries, delays included) is pending. */
    settleDeliveries: (): Promise<void> => engine.settle(),
    /**
     * Drives a hosted checkout to its end without HTML (phone, OTP, points, card). Resolves with the
     * order and the URL the browser would be sent to; rejects when a step is refused.
     */
    async completeCheckout(sessionIdOrOrderNumber: string, how: CompleteCheckoutOptions = {}) {
      const { session, order } = driveCheckout(core, sessionIdOrOrderNumber, how);
      return { order: toSandboxOrder(core, order), redirectUrl: callbackTarget(core, session, order) };
    },
    /** What the CLI prints and `GET /sandbox` answers. */
    info() {
      return {
        baseUrl: options.baseUrl,
        apiBase: `${options.baseUrl}/api`,
        publicKey: options.publicKey,
        privateKey: options.privateKey,
        merchants: store.merchants.map(merchantInfo),
        otp: options.otp,
        fixturePhones,
        fixtureBalance,
        // Balances now: they go down as the demo pays with points, and back up on reset().
        customers: (Object.entries(fixturePhones) as Array<[keyof typeof fixturePhones, string]>).map(
          ([fixture, phone]) => {
            const { account, balance } = store.customer(phone);
            return { fixture, phone, account, balance };
          },
        ),
        pointValueSar: options.pointValueHalalas / 100,
        cards: { approved: goodCard, declined: options.failingCard },
        delivery: { ...knobs },
        // The secret each webhook is sent with (`X-Webhook-Secret`): the edge server's POINTS_WEBHOOK_SECRET.
        webhooks: store.webhooks.map(({ uuid, merchantId, url, secret }) => ({
          uuid,
          merchantId,
          url,
          secret,
        })),
      };
    },
    /** Stops the session sweep and pending webhook retries. */
    close(): void {
      clearInterval(sweep);
      engine.close();
    },
  };

  app.use('*', async (_c, next) => {
    expireSessions(core);
    await next();
  });
  app.use('/api/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => fail(c, 413, 'Payload Too Large') }));
  app.route('/api/v1/orders/earning', earningRoutes(core));
  app.route('/api/v1/orders', orderRoutes(core));
  app.route('/api/v1/webhooks', webhookRoutes(core));
  app.route('/api/v1/integration', integrationRoutes(core));
  app.route('/', checkoutPages(core));
  app.route('/sandbox', adminRoutes(sandbox));
  app.get('/', (c) => c.redirect('/sandbox', 302));
  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? fail(c, 404, 'Not found') : c.text('Not found', 404),
  );
  app.onError((error, c) => {
    console.error('sandbox: unexpected error', error instanceof Error ? error.message : error);
    return c.req.path.startsWith('/api/') ? fail(c, 500, 'Server Error') : c.text('Server error', 500);
  });

  return sandbox;
}

export type Sandbox = ReturnType<typeof createSandbox>;
